"""OpenVINO runs the learned text detector: the same ONNX model from RapidOCR's wheel, about three times
faster than onnxruntime on one CPU thread, with the same boxes (benchmarks/ocr_cost.py measures both).

Precision is pinned to f32. On CPUs with bf16 units OpenVINO would otherwise compute in bf16, faster
still but with boxes that move, so what the check finds would depend on the machine. The recogniser
stays on onnxruntime: its crops differ in width, and OpenVINO gains nothing on them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pixelscrub.errors import MissingDependencyError

CONFIG = {"INFERENCE_NUM_THREADS": 1, "NUM_STREAMS": 1}


class OpenVinoSession:
    """Runs one model on the CPU, one thread (the pipeline already runs one worker per core); called as
    RapidOCR calls its own sessions: one input batch in, the first output out."""

    def __init__(self, model: Path, precision: str = "f32") -> None:
        """`precision`: "f32", or "bf16" (what OpenVINO picks on CPUs with bf16 units; benchmarks only)."""
        try:
            import openvino
        except ImportError:
            raise MissingDependencyError("openvino is not installed; run: .venv/bin/pip install openvino") from None
        core = openvino.Core()
        self._request = core.compile_model(core.read_model(model), "CPU",
                                           {**CONFIG, "INFERENCE_PRECISION_HINT": precision}).create_infer_request()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        self._request.infer(inputs=[batch])
        return self._request.get_output_tensor().data.copy()  # the request reuses its buffer next call
