"""``python -m local_model fetch|serve``: get a local model's weights; serve it on 127.0.0.1.

The model is ``--model`` or LOCAL_MODEL (default: the catalog's default); its weights are cached
in ``--cache`` (default .local/models, under the directory it runs from, as local mode runs it).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from genai_common.background import listening
from genai_common.commands import module_command

from local_model.catalog import DEFAULT, MODELS, find
from local_model.weights import DEFAULT_CACHE, WeightsError, converted_path, ensure_weights

if TYPE_CHECKING:
    from local_model.engine import Engine

# An answer's ceiling, whatever a client asks: the apps ask for up to 2,048 tokens, which a
# small model on a laptop's CPU would spend minutes rambling through.
MAX_TOKENS = 512
# Served on the loopback only: the model's API has no authentication.
HOST = "127.0.0.1"


def _say(message: str) -> None:
    print(f"local model: {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=module_command("local_model"), description=__doc__)
    parser.add_argument("command", choices=("fetch", "serve"))
    parser.add_argument(
        "--model", default=os.environ.get("LOCAL_MODEL", DEFAULT), help=f"one of {list(MODELS)}"
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--port", type=int, help="serve: the port (local mode passes its own)")
    parser.add_argument("--max-tokens", type=int, default=MAX_TOKENS)
    args = parser.parse_args(argv)
    if args.command == "serve" and args.port is None:
        parser.error("serve needs --port")
    try:
        model = find(args.model)
        weights = ensure_weights(model, args.cache, _say)
    except (ValueError, WeightsError) as error:
        print(f"local model: {error}", file=sys.stderr)
        return 1
    converted = converted_path(model, args.cache)
    if args.command == "fetch":
        if not converted.exists():
            from local_model.engine import load

            _say(f"converting {model.title} for transformers, once (into {converted})")
            load(weights, converted)
        _say(f"{model.name} is ready in {weights}")
        return 0

    import uvicorn

    from local_model.server import Loading, create_app

    def build() -> Engine:
        from local_model.engine import Engine  # torch and transformers: in the loading thread

        engine = Engine(weights, converted, model.decode_threads)
        _say(f"{model.title} loaded")
        return engine

    _say(f"loading {model.title} from {weights}; answering as soon as it is loaded")
    # The load begins once the server listens: begun beside uvicorn's start, its imports held
    # the interpreter lock that the start needed.
    loading = Loading(build, after=listening(HOST, args.port))
    app = create_app(loading, model.name, args.max_tokens)
    uvicorn.run(app, host=HOST, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
