"""Telegram update handlers, one module per concern; `register` wires them into the Application."""
