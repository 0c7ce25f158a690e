-- Rasa keeps its conversation trackers in a database of its own.
CREATE DATABASE rasa_tracker OWNER wegweiser;
