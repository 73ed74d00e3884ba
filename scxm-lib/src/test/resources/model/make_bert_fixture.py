"""Writes a small random BERT (Hugging Face BertForMaskedLM key names) as safetensors plus the
expected last-layer hidden states, computed with plain PyTorch following HF BertModel's math.
Run with Debian's python3-torch:  /usr/bin/python3 make_bert_fixture.py
Outputs: tiny_bert_{relu,gelu}/{config.json, model.safetensors, expected.json}"""
import json, math, struct, os
import torch

torch.manual_seed(0)
for act in ("relu", "gelu"):
    V, H, L, NH, I, P = 50, 32, 2, 4, 64, 40
    cfg = dict(model_type="bert", vocab_size=V, hidden_size=H, num_hidden_layers=L, num_attention_heads=NH,
               intermediate_size=I, max_position_embeddings=P, type_vocab_size=2, layer_norm_eps=1e-12,
               hidden_act=act, pad_token_id=0)
    t = {}
    def p(name, *shape, scale=0.5):
        t[name] = torch.randn(*shape) * scale
    p("bert.embeddings.word_embeddings.weight", V, H)
    p("bert.embeddings.position_embeddings.weight", P, H)
    p("bert.embeddings.token_type_embeddings.weight", 2, H)
    p("bert.embeddings.LayerNorm.weight", H); t["bert.embeddings.LayerNorm.weight"] += 1
    p("bert.embeddings.LayerNorm.bias", H, scale=0.1)
    for l in range(L):
        pre = f"bert.encoder.layer.{l}."
        for m in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            p(pre + m + ".weight", H, H, scale=1 / math.sqrt(H)); p(pre + m + ".bias", H, scale=0.1)
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            p(pre + ln + ".weight", H, scale=0.1); t[pre + ln + ".weight"] += 1; p(pre + ln + ".bias", H, scale=0.1)
        p(pre + "intermediate.dense.weight", I, H, scale=1 / math.sqrt(H)); p(pre + "intermediate.dense.bias", I, scale=0.1)
        p(pre + "output.dense.weight", H, I, scale=1 / math.sqrt(I)); p(pre + "output.dense.bias", H, scale=0.1)
    # an MLM head the encoder must ignore, as in real Geneformer checkpoints
    p("cls.predictions.bias", V)

    def ln(x, name):
        return torch.nn.functional.layer_norm(x, (H,), t[name + ".weight"], t[name + ".bias"], 1e-12)
    def lin(x, name):
        return x @ t[name + ".weight"].T + t[name + ".bias"]
    ids = torch.tensor([[2, 7, 9, 11, 13, 3, 0, 0], [2, 21, 5, 3, 0, 0, 0, 0], [2, 4, 6, 8, 10, 12, 14, 3]])
    mask = (ids != 0).float()
    B, T = ids.shape
    x = t["bert.embeddings.word_embeddings.weight"][ids] + t["bert.embeddings.position_embeddings.weight"][:T] \
        + t["bert.embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "bert.embeddings.LayerNorm")
    madd = (1 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
    dh = H // NH
    for l in range(L):
        pre = f"bert.encoder.layer.{l}."
        sp = lambda y: y.view(B, T, NH, dh).permute(0, 2, 1, 3)
        q, k, v = (sp(lin(x, pre + "attention.self." + n)) for n in ("query", "key", "value"))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + madd, -1) @ v
        a = a.permute(0, 2, 1, 3).reshape(B, T, H)
        x = ln(lin(a, pre + "attention.output.dense") + x, pre + "attention.output.LayerNorm")
        h = lin(x, pre + "intermediate.dense")
        h = torch.relu(h) if act == "relu" else torch.nn.functional.gelu(h)
        x = ln(lin(h, pre + "output.dense") + x, pre + "output.LayerNorm")

    folder = f"tiny_bert_{act}"
    os.makedirs(folder, exist_ok=True)
    json.dump(cfg, open(f"{folder}/config.json", "w"), indent=1)
    header, blobs, off = {}, [], 0
    for name, arr in t.items():
        b = arr.contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    h = json.dumps(header).encode()
    with open(f"{folder}/model.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for b in blobs: f.write(b)
    json.dump({"ids": ids.tolist(), "hidden": x.tolist()}, open(f"{folder}/expected.json", "w"))
print("ok")
