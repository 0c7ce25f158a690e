"""Rasa custom actions (rasa-sdk). Thin: the logic lives in bot/ and the content in knowledge/."""
