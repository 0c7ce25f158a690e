"""The Telegram front end (python-telegram-bot 22): private chats, community groups, inline mode."""
