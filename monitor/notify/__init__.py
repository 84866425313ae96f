"""Delivery: the outbox and the channels alerts are sent through."""
