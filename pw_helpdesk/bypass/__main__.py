"""`python -m pw_helpdesk.bypass`: JSON lines in, one JSON answer per line out (flushed at once).

Protocol: /work/shared/bypass/README.md. Input {"id", "text"}; output {"id", "findings": [{kind, match,
start, end}]}. Logs go to stderr only, so stdout stays machine-readable.
"""

import json
import sys

from pw_helpdesk.compliance.detector import DETECTOR_VERSION, detect


def main() -> int:
	out = sys.stdout
	readline = sys.stdin.readline
	while True:
		line = readline()
		if not line:
			return 0
		if not line.strip():
			continue
		try:
			req = json.loads(line)
			rid = req["id"]
			text = req.get("text") or ""
		except (ValueError, KeyError, TypeError, AttributeError) as e:
			print(f"bypass: skipping malformed line: {e}", file=sys.stderr)
			continue
		try:
			findings = [
				{"kind": f.kind, "match": f.match, "start": f.start, "end": f.end}
				for f in detect(text if isinstance(text, str) else str(text))
			]
		except Exception as e:  # one bad message must not stop the filter
			print(f"bypass: detector error on {rid!r}: {e!r}", file=sys.stderr)
			findings = []
		out.write(json.dumps({"id": rid, "findings": findings, "version": DETECTOR_VERSION}) + "\n")
		out.flush()


if __name__ == "__main__":
	sys.exit(main())
