"""Cut the Messages operations the bot uses out of Twilio's full OpenAPI description.

Twilio's `spec/json/twilio_api_v2010.json` (github.com/twilio/twilio-oai) is about 1.9 MB and
describes every resource of the 2010-04-01 API; the contract tests need one path of it. This
keeps that path (POST CreateMessage and GET ListMessage), every component it references
(followed transitively), the security schemes, and the document's header, unchanged, so that a
refreshed extract differs from the committed one only where Twilio changed the API.

    git --git-dir=/path/to/twilio-oai/.git show HEAD:spec/json/twilio_api_v2010.json > /tmp/full.json
    python -m tests.contract.extract_spec /tmp/full.json --commit "$(git --git-dir=... rev-parse HEAD)"

then update the commit and date in tests/contract/README.md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

MESSAGES_PATH = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
OPERATIONS = {"post": "CreateMessage", "get": "ListMessage"}
SOURCE = "https://github.com/twilio/twilio-oai/blob/{commit}/spec/json/twilio_api_v2010.json"
DEFAULT_OUTPUT = Path(__file__).with_name("twilio_api_v2010_messages.json")
_REF_PREFIX = "#/components/"


def extract(full: dict[str, Any], commit: str | None = None) -> dict[str, Any]:
    """The Messages path of `full` with the components it needs."""
    path_item = full["paths"][MESSAGES_PATH]
    for method, operation_id in OPERATIONS.items():
        found = path_item.get(method, {}).get("operationId")
        if found != operation_id:  # Twilio renamed or moved it: the tests would check the wrong thing
            raise SystemExit(f"{method.upper()} {MESSAGES_PATH} is {found!r}, expected {operation_id}")
    components: dict[str, dict[str, Any]] = {"securitySchemes": full["components"]["securitySchemes"]}
    pending = sorted(_refs(path_item))
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        if not ref.startswith(_REF_PREFIX):
            raise SystemExit(f"unsupported reference {ref!r}: only local components are followed")
        kind, name = ref.removeprefix(_REF_PREFIX).split("/", 1)
        target = full["components"][kind][name]
        components.setdefault(kind, {})[name] = target
        pending.extend(sorted(_refs(target) - seen))
    info = dict(full["info"])
    if commit:
        info["x-extracted-from"] = {"source": SOURCE.format(commit=commit), "path": MESSAGES_PATH}
    return {
        "openapi": full["openapi"],
        "info": info,
        "servers": full.get("servers", []),
        "security": full.get("security", []),
        "paths": {MESSAGES_PATH: path_item},
        "components": {kind: dict(sorted(items.items())) for kind, items in sorted(components.items())},
    }


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value)
            else:
                found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("full_spec", type=Path, help="twilio-oai's spec/json/twilio_api_v2010.json")
    parser.add_argument("--commit", help="twilio-oai commit the file comes from (recorded in info)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    trimmed = extract(json.loads(args.full_spec.read_text(encoding="utf-8")), args.commit)
    args.output.write_text(json.dumps(trimmed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    kept = sum(len(items) for items in trimmed["components"].values())
    print(f"{args.output}: {args.output.stat().st_size} bytes, {kept} components kept")


if __name__ == "__main__":
    main()
