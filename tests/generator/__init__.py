"""Tests of the demo data generator (demo_data/): see reading.py for what they share."""
