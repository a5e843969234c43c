"""The dense LSTM of examples/brown-models/run.sh trained by PyTorch the way neuromap trains it (issue 15, trainer parity).

Every detail that changes learning follows neuromap's trainer (models/train.ts, params.ts, optim/adamw.ts, lm.ts,
cells/lstm.ts, data/batches.ts); the README next to run.sh lists them. It reads the exact id streams neuromap uses
(`export.ts corpus DIR`) and can start from neuromap's initial weights (`export.ts init`, --init-from) or evaluate a
neuromap model's weights (`export.ts params`, --init-from with --max-tokens 0), both as neuromap-named safetensors.

  /usr/bin/python3 torch_lm.py --data DIR --max-tokens 600000 --json OUT.json [flags as neuromap train's]

Prints a progress line every --log-every steps and a line per validation like `neuromap train`'s; at the end the
test perplexity as `neuromap eval --split test` computes it (batch 1, whole split, zero state carried through,
the first token only context), written with the run's figures to --json.
"""
import argparse, copy, json, math, os, struct, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--data", required=True, help="directory written by export.ts corpus")
p.add_argument("--emb", type=int, default=256)
p.add_argument("--layers", default="512,256")
p.add_argument("--embedding-init", type=float, default=0.1)
p.add_argument("--decoder-bias-init", choices=["unigram", "zero"], default="unigram")
p.add_argument("--max-tokens", type=int, required=True, help="training tokens; 0: no training (evaluate --init-from)")
p.add_argument("--batch", type=int, default=20)
p.add_argument("--bptt", type=int, default=35)
p.add_argument("--lr", type=float, default=3e-3)
p.add_argument("--min-lr", type=float, default=1e-4)
p.add_argument("--constant-fraction", type=float, default=0.3)
p.add_argument("--weight-decay", type=float, default=0.1)
p.add_argument("--clip", type=float, default=0.25)
p.add_argument("--dropout-emb", type=float, default=0.1)
p.add_argument("--dropout-hidden", type=float, default=0.1)
p.add_argument("--dropout-out", type=float, default=0.2)
p.add_argument("--valid-tokens", type=int, default=20000)
p.add_argument("--eval-every", type=int, default=500)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--init-from", help="neuromap-named safetensors (export.ts init or params) instead of this script's own init")
p.add_argument("--max-seconds", type=float, default=0, help="stop training after this many seconds (a speed measurement; no evaluation)")
p.add_argument("--test-tokens", type=int, default=0, help="predicted test tokens to evaluate (0: the whole split, as neuromap eval)")
p.add_argument("--log-every", type=int, default=10)
p.add_argument("--json", help="write the figures here")
p.add_argument("--save", help="save the final (best-on-validation) state dict here (torch.save)")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
LAYERS = [int(x) for x in a.layers.split(",")]
if LAYERS[-1] != a.emb:
    sys.exit(f"torch_lm.py: the decoder is tied to the embedding, so the last layer ({LAYERS[-1]}) must equal --emb ({a.emb})")


def read_ids(split):
    path = os.path.join(a.data, f"{split}.i32")
    if not os.path.exists(path):
        sys.exit(f"torch_lm.py: {path} is missing; write it first with export.ts corpus {a.data}")
    return torch.from_numpy(np.fromfile(path, dtype="<i4").astype(np.int64))


vocab = open(os.path.join(a.data, "vocab.txt"), encoding="utf-8").read().split("\n")[:-1]
V = len(vocab)
train_ids, valid_ids, test_ids = read_ids("train"), read_ids("valid"), read_ids("test")


def batchify(ids, b):
    """data/batches.ts: B contiguous streams of floor(len/B) tokens (the tail dropped), as [steps, B]."""
    n = ids.numel() // b
    return ids[: n * b].view(b, n).t().contiguous()


class LM(nn.Module):
    """Embedding (dropout) -> LSTM layers (dropout between) -> dropout -> tied decoder + bias: models/lm.ts."""

    def __init__(s):
        super().__init__()
        s.emb = nn.Embedding(V, a.emb)
        sizes = [a.emb] + LAYERS
        # One nn.LSTM per layer: the widths differ. Gate order i, f, g, o as in neuromap's cells/lstm.ts; both
        # biases (b_ih + b_hh) are trained and decayed there too (layers.l.bias and layers.l.recurrent_bias).
        s.rnns = nn.ModuleList(nn.LSTM(sizes[l], LAYERS[l]) for l in range(len(LAYERS)))
        s.dec_bias = nn.Parameter(torch.zeros(V))

    def forward(s, x, states):
        e = F.dropout(s.emb(x), a.dropout_emb, s.training)
        out = []
        for l, rnn in enumerate(s.rnns):
            e, st = rnn(e, states[l])
            out.append(st)
            # Plain inverted dropout, a fresh mask per element and time step (lm.ts dropoutMask), not variational.
            e = F.dropout(e, a.dropout_hidden if l < len(s.rnns) - 1 else a.dropout_out, s.training)
        return F.linear(e, s.emb.weight, s.dec_bias), out


def zero_states(b):
    return [(torch.zeros(1, b, h), torch.zeros(1, b, h)) for h in LAYERS]


def detach(states):
    return [(h.detach(), c.detach()) for h, c in states]


def init_own(m):
    """params.ts initParams: embedding U(+-0.1), kernels U(+-1/sqrt(H)), input bias 0 but the forget block 1, recurrent
    bias 0, decoder bias the log add-one unigram of the training split."""
    with torch.no_grad():
        m.emb.weight.uniform_(-a.embedding_init, a.embedding_init)
        for rnn, h in zip(m.rnns, LAYERS):
            bound = 1 / math.sqrt(h)
            rnn.weight_ih_l0.uniform_(-bound, bound)
            rnn.weight_hh_l0.uniform_(-bound, bound)
            rnn.bias_ih_l0.zero_()
            rnn.bias_ih_l0[h : 2 * h] = 1
            rnn.bias_hh_l0.zero_()
        if a.decoder_bias_init == "unigram":
            counts = torch.bincount(train_ids, minlength=V).double() + 1
            m.dec_bias.copy_((counts.log() - math.log(train_ids.numel() + V)).float())
        else:
            m.dec_bias.zero_()


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        if e["dtype"] != "F32":
            sys.exit(f"torch_lm.py: {path}: {name} is {e['dtype']}, expected F32 (write it with export.ts)")
        b, end = e["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[b:end], dtype="<f4").copy()).view(*e["shape"])
    return out


def init_from(m, path):
    """neuromap names and layout (input-major [in, 4H]) -> torch.nn.LSTM's ([4H, in]); same gate order."""
    t = read_safetensors(path)
    with torch.no_grad():
        m.emb.weight.copy_(t["embedding"])
        m.dec_bias.copy_(t["decoder.bias"])
        for l, rnn in enumerate(m.rnns):
            rnn.weight_ih_l0.copy_(t[f"layers.{l}.kernel"].t())
            rnn.weight_hh_l0.copy_(t[f"layers.{l}.recurrent_kernel"].t())
            rnn.bias_ih_l0.copy_(t[f"layers.{l}.bias"])
            rnn.bias_hh_l0.copy_(t[f"layers.{l}.recurrent_bias"])
    if "decoder.weight" in t:
        sys.exit(f"torch_lm.py: {path} has an untied decoder; this script trains the tied configuration only")


def learning_rate(step, total):
    """train.ts learningRate: constant for floor(fraction * total) steps, then cosine to min-lr."""
    flat = math.floor(a.constant_fraction * total)
    if step < flat:
        return a.lr
    progress = min(1.0, (step - flat) / max(1, total - flat))
    return a.min_lr + 0.5 * (a.lr - a.min_lr) * (1 + math.cos(math.pi * progress))


def clip_(params, max_norm):
    """adamw.ts clipGradNorm: global L2 norm over every gradient; scaled by max/norm only when above (no epsilon)."""
    norm = math.sqrt(sum(float(q.grad.double().pow(2).sum()) for q in params))
    if max_norm > 0 and norm > max_norm:
        for q in params:
            q.grad.mul_(max_norm / norm)
    return norm


def validation(m, data, max_tokens):
    """train.ts validationLoss: the streams' windows from the start, stopping once max_tokens are done."""
    m.eval()
    states, loss_sum, tokens = zero_states(data.size(1)), 0.0, 0
    with torch.no_grad():
        for pos in range(0, data.size(0) - 1, a.bptt):
            if max_tokens > 0 and tokens >= max_tokens:
                break
            n = min(a.bptt, data.size(0) - 1 - pos)
            logits, states = m(data[pos : pos + n], states)
            loss_sum += F.cross_entropy(logits.view(-1, V), data[pos + 1 : pos + 1 + n].reshape(-1), reduction="sum").item()
            tokens += n * data.size(1)
    m.train()
    return loss_sum / tokens, tokens


def test_eval(m, ids, max_tokens):
    """evaluate.ts: batch 1, zero state, ids[t] predicts ids[t+1] for t = 0..n-2 (the first token is context only)."""
    total = ids.numel() - 1 if max_tokens <= 0 else min(max_tokens, ids.numel() - 1)
    m.eval()
    states, loss_sum = zero_states(1), 0.0
    with torch.no_grad():
        for start in range(0, total, 1000):
            n = min(1000, total - start)
            logits, states = m(ids[start : start + n].view(n, 1), states)
            loss_sum += F.cross_entropy(logits.view(-1, V), ids[start + 1 : start + 1 + n], reduction="sum").item()
    return loss_sum / total, total


m = LM()
if a.init_from:
    init_from(m, a.init_from)
else:
    init_own(m)
params = list(m.parameters())
# adamw.ts: every tensor decays (neuromap exempts only EGRU thresholds), eps 1e-8, betas 0.9/0.999, bias-corrected.
opt = torch.optim.AdamW(params, lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=a.weight_decay)

data = batchify(train_ids, a.batch)
valid = batchify(valid_ids, min(10, max(1, valid_ids.numel() // 2)))
input_steps = data.size(0) - 1
per_epoch = math.ceil(input_steps / a.bptt)
total = max(1, math.ceil(a.max_tokens / (a.batch * a.bptt))) if a.max_tokens > 0 else 0
print(f"pytorch {torch.__version__} LSTM {'x'.join(map(str, LAYERS))} (emb {a.emb}, vocab {V}, tied): {train_ids.numel()} training tokens, "
      f"{total} steps, seed {a.seed}, {a.threads} threads", flush=True)

states, pos, epoch, tokens = zero_states(a.batch), 0, 0, 0
best_loss, best_state, history, step0_loss = math.inf, None, [], None
t0, c0 = time.time(), time.process_time()
for step in range(total):
    if pos >= input_steps:  # train.ts: a new epoch starts from the first window with zero states
        pos, epoch, states = 0, epoch + 1, zero_states(a.batch)
    n = min(a.bptt, input_steps - pos)
    lr = learning_rate(step, total)
    for g in opt.param_groups:
        g["lr"] = lr
    logits, states = m(data[pos : pos + n], states)
    states = detach(states)
    loss = F.cross_entropy(logits.view(-1, V), data[pos + 1 : pos + 1 + n].reshape(-1))
    opt.zero_grad(set_to_none=False)
    loss.backward()
    norm = clip_(params, a.clip)
    opt.step()
    pos += n
    tokens += n * a.batch
    if step == 0:
        step0_loss = loss.item()
    elapsed = time.time() - t0
    if (step + 1) % a.log_every == 0 or step == 0:
        print(f"step {step + 1}/{total} | {tokens / elapsed:.0f} tok/s | loss {loss.item():.4f} | lr {lr:.2e} | grad norm {norm:.3f}", flush=True)
    if a.max_seconds > 0 and elapsed >= a.max_seconds:
        cpu = time.process_time() - c0  # all threads: on a shared machine the wall rate alone says little
        print(f"stopped after {elapsed:.1f} s: {tokens} tokens in {step + 1} steps, {tokens / elapsed:.1f} tokens/s on {a.threads} threads "
              f"({cpu:.1f} CPU s, {tokens / cpu:.1f} tokens per CPU second; load average {os.getloadavg()[0]:.1f})", flush=True)
        if a.json:
            json.dump({"trainer": "pytorch", "torch": torch.__version__, "threads": a.threads, "steps": step + 1, "tokens": tokens,
                       "seconds": elapsed, "tokens_per_second": tokens / elapsed, "cpu_seconds": cpu, "step0_loss": step0_loss}, open(a.json, "w"), indent=2)
        sys.exit(0)
    if (step + 1) % per_epoch == 0 or step + 1 == total or (a.eval_every > 0 and (step + 1) % a.eval_every == 0):
        vloss, vtok = validation(m, valid, a.valid_tokens)
        best = vloss < best_loss
        if best:  # train.ts keeps the best-on-validation parameters
            best_loss, best_state = vloss, copy.deepcopy(m.state_dict())
        history.append({"step": step + 1, "tokens": tokens, "valid_loss": vloss, "valid_perplexity": math.exp(vloss), "best": best})
        print(f"step {step + 1}, {tokens} tokens: validation perplexity {math.exp(vloss):.2f} over {vtok} tokens"
              f"{' (best so far)' if best else ''}", flush=True)
train_seconds = time.time() - t0
if best_state is not None:
    m.load_state_dict(best_state)
if a.save:
    torch.save(m.state_dict(), a.save)
tloss, ttok = test_eval(m, test_ids, a.test_tokens)
print(f"test perplexity {math.exp(tloss):.2f} over {ttok} tokens (batch 1, as neuromap eval); "
      f"training {tokens} tokens in {train_seconds:.0f} s", flush=True)
if a.json:
    tmp = a.json + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"trainer": "pytorch", "torch": torch.__version__, "settings": vars(a), "steps": total, "tokens": tokens,
                   "train_seconds": train_seconds, "step0_loss": step0_loss, "history": history,
                   "test": {"tokens": ttok, "loss": tloss, "perplexity": math.exp(tloss)}}, f, indent=2)
    os.replace(tmp, a.json)
