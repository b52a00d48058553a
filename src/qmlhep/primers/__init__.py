"""The primers: what a student needs before the quantum models (one small circuit in three
frameworks, and how to judge a classifier)."""
