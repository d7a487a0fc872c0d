"""Cut the operations the bot uses out of Twilio's full OpenAPI descriptions.

Twilio's `spec/json/twilio_api_v2010.json` (github.com/twilio/twilio-oai) is about 1.9 MB and
describes every resource of the 2010-04-01 API; the contract tests need a few paths of it (and
of `twilio_content_v1.json` and `twilio_messaging_v2.json`). Each extract keeps its paths (the
operations listed in EXTRACTS), every component they reference (followed transitively), the
security schemes, and the document's header, unchanged, so that a refreshed extract differs
from the committed one only where Twilio changed the API.

    git --git-dir=/path/to/twilio-oai/.git show HEAD:spec/json/twilio_api_v2010.json > /tmp/full.json
    python -m tests.contract.extract_spec /tmp/full.json --commit "$(git --git-dir=... rev-parse HEAD)"

(the same for twilio_content_v1.json and twilio_messaging_v2.json: the file's name picks its
extracts), then update the commit and date in tests/contract/README.md.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

MESSAGES_PATH = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
MEDIA_PATH = "/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{Sid}.json"
CONTENT_PATH = "/v1/Content"
CONTENT_ITEM_PATH = "/v1/Content/{Sid}"
TYPING_PATH = "/v2/Indicators/Typing.json"
OPERATIONS = {"post": "CreateMessage", "get": "ListMessage"}
SOURCE = "https://github.com/twilio/twilio-oai/blob/{commit}/spec/json/{file}"
_HERE = Path(__file__).parent
DEFAULT_OUTPUT = _HERE / "twilio_api_v2010_messages.json"
# Source file -> extract file -> {path: {method: operationId}}.
EXTRACTS: dict[str, dict[str, dict[str, dict[str, str]]]] = {
    "twilio_api_v2010.json": {
        "twilio_api_v2010_messages.json": {MESSAGES_PATH: OPERATIONS},
        "twilio_api_v2010_media.json": {MEDIA_PATH: {"get": "FetchMedia"}},
    },
    "twilio_content_v1.json": {
        "twilio_content_v1_content.json": {
            CONTENT_PATH: {"post": "CreateContent"}, CONTENT_ITEM_PATH: {"get": "FetchContent"}
        },
    },
    "twilio_messaging_v2.json": {
        "twilio_messaging_v2_typing.json": {TYPING_PATH: {"post": "CreateTypingIndicator"}},
    },
}  # fmt: skip
_REF_PREFIX = "#/components/"


def extract(
    full: dict[str, Any],
    commit: str | None = None,
    operations: dict[str, dict[str, str]] | None = None,
    source_file: str = "twilio_api_v2010.json",
) -> dict[str, Any]:
    """The paths of `operations` (default: Messages) of `full` with the components they need."""
    operations = operations or {MESSAGES_PATH: OPERATIONS}
    paths = {}
    for path, methods in operations.items():
        path_item = full["paths"][path]
        for method, operation_id in methods.items():
            found = path_item.get(method, {}).get("operationId")
            if found != operation_id:  # Twilio renamed or moved it: the tests would check the wrong thing
                raise SystemExit(f"{method.upper()} {path} is {found!r}, expected {operation_id}")
        paths[path] = path_item
    components: dict[str, dict[str, Any]] = {"securitySchemes": full["components"]["securitySchemes"]}
    pending = sorted(_refs(paths))
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
        where = list(paths) if len(paths) > 1 else next(iter(paths))
        info["x-extracted-from"] = {"source": SOURCE.format(commit=commit, file=source_file), "path": where}
    return {
        "openapi": full["openapi"],
        "info": info,
        "servers": full.get("servers", []),
        "security": full.get("security", []),
        "paths": paths,
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
    parser.add_argument("full_spec", type=Path, help="a twilio-oai spec/json file named in EXTRACTS")
    parser.add_argument("--commit", help="twilio-oai commit the file comes from (recorded in info)")
    parser.add_argument("--source-name", help="the file's name in twilio-oai (default: its own name)")
    args = parser.parse_args()
    source = args.source_name or args.full_spec.name
    if source not in EXTRACTS:
        raise SystemExit(f"{source}: not one of {sorted(EXTRACTS)} (give --source-name)")
    full = json.loads(args.full_spec.read_text(encoding="utf-8"))
    for output_name, operations in EXTRACTS[source].items():
        trimmed = extract(full, args.commit, operations, source)
        output = _HERE / output_name
        output.write_text(json.dumps(trimmed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        kept = sum(len(items) for items in trimmed["components"].values())
        print(f"{output}: {output.stat().st_size} bytes, {kept} components kept")


if __name__ == "__main__":
    main()
