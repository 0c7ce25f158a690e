"""Curated content from `knowledge/`: entries, interface catalogue, counselling directory."""
