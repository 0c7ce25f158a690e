"""Custom Rasa NLU components. They run inside the Rasa environment (Python 3.10, rasa 3.6), not the app's."""
