"""creditrules: what an overdue costs, what the credit report shows, and what to do."""
