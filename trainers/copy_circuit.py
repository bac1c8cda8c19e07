"""A wired copy circuit (an induction head) for the tiny demo Llama, in plain Llama weights.

A language model answers "What is my name?" by copying the name from earlier in the conversation. Real
models learn the circuit that does it (an induction head: attend to the token that followed an earlier
occurrence of the current token, and copy it) after billions of tokens; the demo's 2M tokens on 2 CPU
cores never get there (harness/demo/build.py lists what was tried). So the demo base is built with the
circuit in place, and pretraining learns everything else around it:

- the residual stream (hidden 160) keeps `learned` dims for the model and three reserved blocks of 24:
  C: a fixed random code of the current token (embedding columns),
  P: the code of the previous token, written by layer 0's first head and by nothing else in layer 0,
  O: the code of the token to copy, written by layer 1's first head and read by the (untied) lm_head;
- layer 0, head 0 attends to the previous position (positional only: its query and key are constant
  biases that RoPE turns into a score peaking at distance 1 by `positional_margin` logits over every
  other distance up to 1024) and writes the code it finds in C there into P here;
- layer 1, head 0 is the induction head: its query is C here, its keys P at earlier positions, so it
  attends where the previous token equals the current one and writes that position's C into O; when
  nothing matches, a beginning-of-text token (its embedding marks a key dim in O) takes the attention
  and copies nothing (its code is zero);
- lm_head's O columns are the codes (times `out_gain`), so what O holds raises the copied token's logit,
  for any token, also one that training never made the model say.
What the model learns around it: how much the copy counts (the norm weights on C, P and O), where not to
copy (the sink's query row trains), and everything else as usual. A gradient mask (`Freezer`) keeps the
wired entries as they are, in pretraining and in SFT (`trainers/sft.py` finds the layout in the config).
vLLM and transformers load the result as a plain Llama with attention biases.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import torch

HEAD_DIM = 64
PAIRS = HEAD_DIM // 2
ROPE_THETA = 10000.0  # the positional heads are solved for Llama's default RoPE base


@dataclass(frozen=True)
class CircuitLayout:
    """Where the circuit lives; saved in the model config as `copy_circuit` so SFT keeps it wired."""

    hidden_size: int = 160
    code_dims: int = 24
    positional_margin: float = field(default=12.0, metadata={"help": "logits between the previous position and the next best"})
    match_scale: float = field(default=6.0, metadata={"help": "query gain of the induction head"})
    sink_bias: float = field(default=3.0, metadata={"help": "score of a beginning-of-text key (nothing matched)"})
    code_std: float = field(default=0.15, metadata={"help": "per-dim size of the token codes (trained embeddings: ~0.11)"})
    prev_gain: float = field(default=0.1, metadata={"help": "P = gain x the previous token's normalised code"})
    out_gain: float = field(default=2.0, metadata={"help": "lm_head's weight on the copied code"})
    seed: int = 1234

    def _block(self, i: int) -> slice:
        end = self.hidden_size - (2 - i) * self.code_dims
        return slice(end - self.code_dims, end)

    @property
    def c(self) -> slice:  # the current token's code (embedding columns)
        return self._block(0)

    @property
    def p(self) -> slice:  # the previous token's code (written by layer 0, head 0)
        return self._block(1)

    @property
    def o(self) -> slice:  # the copied token's code (written by layer 1, head 0; read by lm_head)
        return self._block(2)

    @property
    def learned(self) -> slice:
        return slice(0, self.c.start)


def _positional_weights(target: int, n_pairs: int = 16, max_distance: int = 1024) -> torch.Tensor:
    """Non-negative weights A_p (sum 1) on RoPE pairs 0..n_pairs-1 such that sum_p A_p cos((d - target) θ_p)
    is largest at d = target by the widest margin over every other d < max_distance (a small LP)."""
    import numpy as np
    from scipy.optimize import linprog

    theta = ROPE_THETA ** (-np.arange(n_pairs) / PAIRS)
    ds = [d for d in range(max_distance) if d != target]
    gap = np.array([[1 - math.cos((d - target) * t) for t in theta] for d in ds])
    cost = np.zeros(n_pairs + 1)
    cost[-1] = -1  # maximise the margin m subject to gap @ A >= m, sum A = 1
    res = linprog(cost, A_ub=np.hstack([-gap, np.ones((len(ds), 1))]), b_ub=np.zeros(len(ds)),
                  A_eq=np.r_[np.ones(n_pairs), 0][None, :], b_eq=[1], bounds=[(0, None)] * n_pairs + [(None, None)])
    weights, margin = res.x[:n_pairs], res.x[-1]
    return torch.tensor(weights / margin, dtype=torch.float32)  # now the margin is 1 (in raw score units)


def _positional_head(q_bias: torch.Tensor, k_bias: torch.Tensor, target: int, margin: float) -> None:
    """Query/key biases whose RoPE score peaks at distance `target` by `margin` logits (after 1/sqrt(d))."""
    weights = _positional_weights(target) * margin * math.sqrt(HEAD_DIM)
    theta = ROPE_THETA ** (-torch.arange(len(weights), dtype=torch.float32) / PAIRS)
    amp = weights.sqrt()
    n = len(weights)
    q_bias.zero_()
    k_bias.zero_()
    # score(d) = Re(z_q conj(z_k) e^{i d θ}) per pair, with z = x[p] + i x[p + 32] (transformers' rotate_half)
    q_bias[:n] = amp * torch.cos(target * theta)
    q_bias[PAIRS:PAIRS + n] = -amp * torch.sin(target * theta)
    k_bias[:n] = amp


def _head(h: int) -> slice:
    return slice(h * HEAD_DIM, (h + 1) * HEAD_DIM)


def token_codes(vocab_size: int, layout: CircuitLayout) -> torch.Tensor:
    gen = torch.Generator().manual_seed(layout.seed)
    codes = torch.randn(vocab_size, layout.code_dims, generator=gen)
    return codes / codes.norm(dim=1, keepdim=True) * layout.code_std * math.sqrt(layout.code_dims)


def _eye_into(weight: torch.Tensor, rows: slice | range, cols: slice | range, gain: float = 1.0) -> None:
    r = torch.arange(rows.start, rows.stop)
    weight[r, torch.arange(cols.start, cols.stop)] = gain


def sink_slot(layout: CircuitLayout) -> int:
    """The query/key row of the induction head that scores the beginning-of-text sink."""
    return PAIRS - 1 - (layout.code_dims + 1) // 2


def wire(model: torch.nn.Module, layout: CircuitLayout, bos_token_id: int) -> None:
    """Write the circuit into a freshly built model (attention biases, untied lm_head)."""
    cfg = model.config
    if cfg.num_attention_heads < 2 or not cfg.attention_bias or cfg.tie_word_embeddings \
            or cfg.hidden_size != layout.hidden_size:
        raise ValueError("the copy circuit needs 2+ heads, attention biases, an untied lm_head and the layout's width")
    rope = (getattr(cfg, "rope_parameters", None) or {}).get("rope_theta", ROPE_THETA)
    if cfg.head_dim != HEAD_DIM or rope != ROPE_THETA:
        raise ValueError(f"the copy circuit is solved for heads of {HEAD_DIM} and RoPE base {ROPE_THETA:g}")
    c, p, o, k = layout.c, layout.p, layout.o, layout.code_dims
    layers = model.model.layers
    head = _head(0)
    with torch.no_grad():
        emb = model.model.embed_tokens.weight
        codes = token_codes(emb.shape[0], layout)
        codes[bos_token_id] = 0  # the sink copies nothing
        emb[:, c] = codes
        emb[:, p] = 0
        emb[:, o] = 0
        marker = torch.zeros(k)
        marker[-1] = layout.code_std * math.sqrt(k)
        emb[bos_token_id, o] = marker  # what the induction head's sink key reads
        lm_head = model.lm_head.weight
        lm_head[:, o] = codes * layout.out_gain

        # layer 0, head 0: the previous position; V takes C, O writes it into P. Nothing else in layer 0
        # writes C, P or O.
        attn = layers[0].self_attn
        for proj in (attn.q_proj, attn.k_proj, attn.v_proj):
            proj.weight[head] = 0
            proj.bias[head] = 0
        _positional_head(attn.q_proj.bias[head], attn.k_proj.bias[head], target=1, margin=layout.positional_margin)
        _eye_into(attn.v_proj.weight, range(k), c)
        attn.o_proj.weight[:, head] = 0
        _eye_into(attn.o_proj.weight, p, range(k), layout.prev_gain)
        for block in (c, p, o):
            attn.o_proj.weight[block, HEAD_DIM:] = 0
            attn.o_proj.bias[block] = 0
            layers[0].mlp.down_proj.weight[block] = 0

        # layer 1, head 0: induction. Query C here, key P there; the codes ride the slowest RoPE pairs
        # (rotation there stays under 0.3 rad over 300 tokens), the sink the pair below them.
        attn = layers[1].self_attn
        for proj in (attn.q_proj, attn.k_proj, attn.v_proj):
            proj.weight[head] = 0
            proj.bias[head] = 0
        slots = torch.tensor([PAIRS - 1 - i // 2 + (PAIRS if i % 2 else 0) for i in range(k)])  # 31, 31', 30, ...
        sink = sink_slot(layout)
        attn.q_proj.weight[slots, torch.arange(c.start, c.stop)] = layout.match_scale
        attn.k_proj.weight[slots, torch.arange(p.start, p.stop)] = 1.0
        attn.q_proj.bias[sink] = layout.sink_bias
        attn.k_proj.weight[sink, o.stop - 1] = math.sqrt(HEAD_DIM) / float(marker[-1])
        _eye_into(attn.v_proj.weight, range(k), c)
        attn.o_proj.weight[:, head] = 0
        _eye_into(attn.o_proj.weight, o, range(k))
    cfg.copy_circuit = asdict(layout)


def frozen_masks(model: torch.nn.Module, layout: CircuitLayout) -> dict[str, torch.Tensor]:
    """name -> bool mask of the entries the circuit owns (True = keep as wired)."""
    c, p, o = layout.c, layout.p, layout.o
    params = dict(model.named_parameters())
    masks: dict[str, torch.Tensor] = {}

    def mask(name: str) -> torch.Tensor:
        if name not in masks:
            masks[name] = torch.zeros_like(params[name], dtype=torch.bool)
        return masks[name]

    mask("model.embed_tokens.weight")[:, c.start:o.stop] = True
    mask("lm_head.weight")[:, o] = True
    for layer in (0, 1):
        pre = f"model.layers.{layer}.self_attn."
        for proj in ("q_proj", "k_proj", "v_proj"):
            mask(pre + proj + ".weight")[_head(0)] = True
            mask(pre + proj + ".bias")[_head(0)] = True
        mask(pre + "o_proj.weight")[:, _head(0)] = True
    # The sink's query trains: the model learns where not to copy (a question's "is" is no cue to copy).
    sink = sink_slot(layout)
    mask("model.layers.1.self_attn.q_proj.weight")[sink] = False
    mask("model.layers.1.self_attn.q_proj.bias")[sink] = False
    for block in (c, p, o):
        mask("model.layers.0.self_attn.o_proj.weight")[block] = True
        mask("model.layers.0.self_attn.o_proj.bias")[block] = True
        mask("model.layers.0.mlp.down_proj.weight")[block] = True
    return masks


def layout_of(model: torch.nn.Module) -> CircuitLayout | None:
    saved = getattr(model.config, "copy_circuit", None)
    return CircuitLayout(**saved) if saved else None


class Freezer:
    """Keeps the wired entries fixed while an optimizer trains the rest: gradient hooks zero their
    gradients, and `restore()` (after a step) undoes what weight decay did to them."""

    def __init__(self, model: torch.nn.Module, layout: CircuitLayout):
        self.params = dict(model.named_parameters())
        self.masks = {n: m.to(self.params[n].device) for n, m in frozen_masks(model, layout).items()}
        self.values = {n: self.params[n].detach()[m].clone() for n, m in self.masks.items()}
        for name, m in self.masks.items():
            self.params[name].register_hook(lambda g, m=m: g.masked_fill(m, 0))

    @torch.no_grad()
    def restore(self) -> None:
        for name, m in self.masks.items():
            self.params[name][m] = self.values[name]
