"""Sent after an import batch wrote its rows (inside its transaction): bulk writes send no model signals."""

from django.dispatch import Signal

# sender: the ImportBatch class; batch: the batch that was written.
batch_written = Signal()
