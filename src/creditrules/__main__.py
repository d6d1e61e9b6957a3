"""Run the command line as ``python -m creditrules``."""

from creditrules.cli import main

if __name__ == "__main__":
    main()
