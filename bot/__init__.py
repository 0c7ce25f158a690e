"""Wegweiser: the Telegram front and the app's shared core."""
