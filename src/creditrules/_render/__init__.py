"""Terminal rendering of creditrules results with rich (private; needs the ``cli`` extra).

One module per kind of result, each giving ``render_*`` functions that return a
rich renderable (and, where the JSON output is not simply the value's
:func:`~creditrules.to_json`, a ``*_data`` function giving plain data):

* :mod:`.assessment`: an assessment (``creditrules assess``);
* :mod:`.report`: a simulated credit report (``creditrules report``, and the
  one-line summary under ``assess``);
* :mod:`.remediation`: actions, a negotiated plan, a comparison (``plan``, ``compare``);
* :mod:`.explanation`: what ``explain`` and ``--lang`` print besides the explanation;
* :mod:`.registry`: what is installed: plugins, rules, providers;
* :mod:`.common`: the helpers they share (console, money, sections, values).

A renderer never looks anything up itself: whatever it needs from the plugins
(a provider's name, a bureau's codes) comes from the registry it is given.
Styles are set on :class:`rich.text.Text` objects, never as markup, so text
from account and provider files is printed as it is.
"""
