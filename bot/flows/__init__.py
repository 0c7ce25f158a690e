"""Guided flows: the pure logic behind the Rasa forms in actions/flows.py (dates, deadlines, wage check,
recognition finder, residence check). Figures come from knowledge/ entries; text from the catalogue."""
