"""Paper forms to print for forums without connectivity: the blank proposal form and the
attendance sheet of a meeting (PDF, Thai, built on the annex PDF engine in forum.pdf)."""
