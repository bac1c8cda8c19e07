"""sft-harness: measure, with evidence, what supervised fine-tuning changed in a model."""

__version__ = "0.1.0"
