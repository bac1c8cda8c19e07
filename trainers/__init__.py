"""The project's training code: a byte-level BPE tokenizer, a tiny-Llama pretraining loop, and the SFT
core (`trainers.sft.train_sft`) built on TRL's SFTTrainer with a ChatML template that trains the model to
stop. Submodules import torch/transformers/trl; import them directly (nothing heavy is imported here).
"""
