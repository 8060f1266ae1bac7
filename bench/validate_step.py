"""Shared by bench/validate_megatron and bench/validate_llama3: run `gwsim step SCENARIO --json` for each
published row, convert the predicted step time into TFLOP/s per GPU under the publication's own FLOP
convention, and print the signed errors and their mean and maximum.

The conversion is done here from step_time_s and the model's shape (workloads/models/<id>.yaml) and layout
(the scenario), not taken from gwsim's tflops_per_gpu, so that each table is compared in the convention its
authors used whatever gwsim reports:
- Megatron-LM SC'21 (Narayanan et al., §5.1 and Appendix): F = 96 B s l h^2 (1 + s/(6h) + V/(16 l h)) per
  iteration, which counts the full activation recomputation (4 forward-sized passes of the layers) and 3 of the
  output layer; attention over the full s x s (no causal discount).
- Llama 3 (Table 4, "BF16 MFU" against 989 TFLOP/s): model FLOPs, forward + backward (3 forward-sized passes),
  no recomputation counted. The paper gives no formula; the standard MFU count (Chowdhery et al. 2022, PaLM,
  Appendix B) is used: 2 FLOPs per multiply-add of every matrix (attention projections with GQA's narrower K and
  V, the SwiGLU FFN's three matrices, the output layer; not the embedding lookup) plus 2 x 2 s h per token and
  layer for Q K^T and attention x V over the full sequence (no causal discount; with one, the 128K row's model
  FLOPs would be about 29% lower, the 8K rows' about 4%).
"""
import json
import os
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def gwsim_binary():
    path = os.environ.get('GWSIM') or os.path.join(ROOT, 'build', 'sim', 'cli', 'gwsim')
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        sys.exit(f'no gwsim binary at {path}: build first (scripts/build.sh) or set GWSIM')
    return path


def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


def job_of(scenario_path):
    """The model entry and the layout of the scenario's single transformer job."""
    scenario = load_yaml(scenario_path)
    job = scenario['workload']['jobs'][0]['transformer']
    model = load_yaml(os.path.join(ROOT, 'workloads', 'models', job['model'] + '.yaml'))['model']
    return model, job['layout']


def megatron_flops(model, layout):
    """FLOPs per iteration as Narayanan et al. count them (with recomputation)."""
    B = layout['global_batch']
    s = layout.get('seq_len', model['seq_len'])
    l, h, V = model['layers'], model['hidden'], model['vocab']
    return 96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h))


def model_flops(model, layout):
    """Model FLOPs per iteration (3 passes, no recomputation; PaLM's MFU convention, see above)."""
    s = layout.get('seq_len', model['seq_len'])
    tokens = layout['global_batch'] * s
    h, f, l = model['hidden'], model['ffn_hidden'], model['layers']
    kv = model['kv_heads'] * h // model['heads']
    attention_params = 2 * h * h + 2 * h * kv
    ffn_params = (3 if model['gated_ffn'] else 2) * h * f
    matrices = l * (attention_params + ffn_params) + model['vocab'] * h  # + the output layer
    forward_per_token = 2 * matrices + l * 2 * 2 * s * h
    return 3 * forward_per_token * tokens


def gpus(layout):
    return layout['tp'] * layout['pp'] * layout['dp'] * layout.get('cp', 1)


def run_rows(rows, flops_of):
    """rows: (label, scenario path, published TFLOP/s per GPU). Prints a table and the summary lines."""
    gwsim = gwsim_binary()
    errors = []
    print(f"{'row':<28} {'step_s':>8} {'predicted':>10} {'published':>10} {'error':>8}  {'wall_s':>7} {'rss_MB':>7}"
          "  (TFLOP/s per GPU; wall time and peak memory of the simulation)")
    for label, scenario, published in rows:
        out = subprocess.run([gwsim, 'step', scenario, '--json'], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f'{label}: gwsim step {scenario} failed ({out.returncode}): {out.stderr.strip()}')
        step = json.loads(out.stdout)
        model, layout = job_of(scenario)
        predicted = flops_of(model, layout) / step['step_time_s'] / gpus(layout) / 1e12
        error = (predicted / published - 1) * 100
        errors.append(error)
        print(f'{label:<28} {step["step_time_s"]:8.3f} {predicted:10.1f} {published:10.1f} {error:+7.2f}%'
              f'  {step["wall_s"]:7.1f} {step["peak_rss_bytes"] / 1e6:7.0f}', flush=True)
    print(f'mean abs error: {sum(abs(e) for e in errors) / len(errors):.2f}%')
    print(f'max abs error: {max(abs(e) for e in errors):.2f}%')
