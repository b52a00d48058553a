"""Anomaly detection beyond the Standard Model: the event quantum autoencoder and its twins."""
