"""How search scales: the in-process index against PostgreSQL full-text search.

    python bench/search_bench.py                 # 0 and 1,000 extra pages per language
    python bench/search_bench.py --extra 0 --sizes 2000,10000 --no-postgres

For each guide size (the shipped content plus ``--extra`` generated pages per language,
``bench/scale.py``, loaded with ``load_content`` into a throwaway SQLite database), a
child process measures, per language: the index build (database reads included), its
serialised size (what the shared cache holds), the time a worker takes to load it,
the memory it holds once loaded (tracemalloc, and the worker's RSS growth), and query
times for a fixed list of queries: the search function (ranking, plus the snippets
of the ten results shown) and the whole view through Django's test client
(middleware, template). Then, with the English documents of the largest guide
repeated to ``--sizes`` documents, the same queries against the in-process index and
against PostgreSQL (``to_tsvector('english', ...)`` with a GIN index,
``websearch_to_tsquery``, ``ts_rank``, top ten and the total count, as one results
page needs), on a throwaway PostgreSQL server (``bench/servers.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import PYTHON, ROOT, Stack, log, run, run_script

QUERIES = {
    "en": ["surgery", "chemotherapy", "neuroblastoma", "stem cell transplant",
           "side effects", "chemo", "bone marrow", "treatment", "fever",
           "neuroblastma", "radiation therapy", "hearing loss"],
    "fr": ["chirurgie", "chimiothérapie", "neuroblastome", "greffe de cellules souches",
           "effets secondaires", "chimio", "moelle osseuse", "traitement", "fièvre",
           "chimiothérapi", "radiothérapie", "perte auditive"],
}  # fmt: skip
ROUNDS = 30
# One results page from PostgreSQL: the ten best by ts_rank, and how many matched.
PG_QUERY = (
    "SELECT id, ts_rank(tsv, q) AS rank, count(*) OVER () "
    "FROM docs, websearch_to_tsquery('english', %s) q "
    "WHERE tsv @@ q ORDER BY rank DESC, id LIMIT 10"
)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 of samples in seconds, in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


CPU: list[float] = []  # the CPU time of every sample, beside its wall time


def timed(call, rounds: int = ROUNDS) -> list[float]:
    """Wall times of ``rounds`` calls; their CPU times go to ``CPU`` (on a shared
    machine the wall time includes waiting for a core, the CPU time does not)."""
    samples = []
    for _ in range(rounds):
        started, cpu = time.perf_counter(), time.thread_time()
        call()
        samples.append(time.perf_counter() - started)
        CPU.append(time.thread_time() - cpu)
    return samples


def cpu_since(mark: int) -> tuple[float, float]:
    """p50 and p99 of the CPU times recorded since ``mark``."""
    return percentiles(CPU[mark:])


def rss() -> int:
    """This process's resident memory, in bytes."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


# --- the child: Django set up on one guide ---------------------------------------------------
def _held(blob: bytes, loads) -> tuple[object, int]:
    """An index loaded from its bytes, and the memory it holds (tracemalloc)."""
    tracemalloc.start()
    held = loads(blob)
    memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return held, memory


def _queries(held, queries: list[str], rounds: int) -> list[float]:
    """Query times of the search function: ranking, then the first page's results."""
    from neuroinfo.search import ranking, view

    samples = []
    for query in queries:
        samples += timed(
            lambda query=query: view._results(
                held, ranking.search(query, held, limit=view.PER_PAGE), 0
            ),
            rounds,
        )
    return samples


def _language(language: str) -> dict:
    from django.test import Client
    from django.utils.translation import override

    from neuroinfo.search import index as search_index
    from neuroinfo.search import view

    client = Client()
    with override(language):
        started = time.perf_counter()
        built = search_index.build(language)
        build_s = time.perf_counter() - started
        blob = search_index.dumps(built)
        load_s = min(timed(lambda: search_index.loads(blob), 5))
        before_rss = rss()
        held, memory = _held(blob, search_index.loads)
        grown = rss() - before_rss
        mark = len(CPU)
        function = _queries(held, QUERIES[language], ROUNDS)
        function_cpu = cpu_since(mark)
        page = []
        for query in QUERIES[language]:
            path = view.search_url(language, query)
            client.get(path)  # the worker's index and frame, as after a change
            mark = len(CPU)
            page += timed(lambda path=path: client.get(path))
        view_cpu = cpu_since(mark)
    return {
        "documents": held.size,
        "vocabulary": len(held.vocabulary),
        "build_s": build_s,
        "serialised_bytes": len(blob),
        "load_ms": load_s * 1000,
        "memory_bytes": memory,
        "rss_growth_bytes": grown,
        "function_ms": percentiles(function),
        "function_cpu_ms": function_cpu,
        "view_ms": percentiles(page),
        "view_cpu_ms": view_cpu,
    }


def _scaled(found: list, size: int) -> dict:
    """The in-process index of ``size`` English documents (the guide's, repeated)."""
    from neuroinfo.search import index as search_index
    from neuroinfo.search.documents import Source

    copies = [
        Source(**{**vars(s), "url": f"{s.url}?copy={n}", "order": n * 10**6 + s.order})
        for n in range(-(-size // len(found)))
        for s in found
    ][:size]
    started = time.perf_counter()
    built = search_index.build("en", copies)
    build_s = time.perf_counter() - started
    blob = search_index.dumps(built)
    held, memory = _held(blob, search_index.loads)
    mark = len(CPU)
    wall = percentiles(_queries(held, QUERIES["en"], 10))
    return {
        "documents": size,
        "build_s": build_s,
        "serialised_bytes": len(blob),
        "memory_bytes": memory,
        "query_ms": wall,
        "query_cpu_ms": cpu_since(mark),
    }


def measure(sizes: list[int], dump: str) -> dict:
    """Everything measured on the guide the environment's database holds."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()  # the site's modules are imported after this, in the functions above
    from neuroinfo.search.documents import sources

    out = {"languages": {lang: _language(lang) for lang in ("en", "fr")}}
    found = sources("en")
    if dump:
        Path(dump).write_text(
            json.dumps([[s.title, s.text] for s in found], ensure_ascii=False)
        )
    out["scaled"] = [_scaled(found, size) for size in sizes]
    return out


# --- the parent: guides, databases, PostgreSQL -----------------------------------------------
def guide(stack: Stack, extra: int) -> dict:
    """Load the shipped guide plus ``extra`` pages per language into its own SQLite."""
    folder = ROOT / "content"
    if extra:
        folder = stack.tmp / f"content-{extra}"
        run([PYTHON, "bench/scale.py", str(folder), str(extra)], cwd=ROOT, check=True,
            capture_output=True)  # fmt: skip
    env = {
        **stack.base_env,
        "DATABASE_URL": f"sqlite:///{stack.app_dir / f'search-{extra}.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "testserver,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    stack.manage("migrate", "-v0", env=env)
    started = time.perf_counter()
    stack.manage("load_content", str(folder), env=env, timeout=1200)
    log(
        f"  {extra} extra pages per language loaded in {time.perf_counter() - started:.0f} s"
    )
    return env


def postgres(stack: Stack, documents: list[list[str]], sizes: list[int]) -> list[dict]:
    stack.start_postgres()
    results = []
    url = stack.base_env["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as db:
        for size in sizes:
            db.execute("DROP TABLE IF EXISTS docs")
            db.execute(
                "CREATE TABLE docs (id serial PRIMARY KEY, title text, body text)"
            )
            rows = [documents[n % len(documents)] for n in range(size)]
            with (
                db.cursor() as cursor,
                cursor.copy("COPY docs (title, body) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            started = time.perf_counter()
            db.execute(
                "ALTER TABLE docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
                "setweight(to_tsvector('english', title), 'A') || "
                "setweight(to_tsvector('english', body), 'C')) STORED"
            )
            db.execute("CREATE INDEX docs_tsv ON docs USING gin (tsv)")
            db.execute("ANALYZE docs")
            index_s = time.perf_counter() - started
            samples = []
            for query in QUERIES["en"]:
                db.execute(PG_QUERY, (query,)).fetchall()
                samples += timed(
                    lambda q=query: db.execute(PG_QUERY, (q,)).fetchall(), 10
                )
            executed = [
                db.execute(
                    f"EXPLAIN (ANALYZE, FORMAT JSON) {PG_QUERY}", (q,)
                ).fetchone()[0][0]["Execution Time"]
                / 1000
                for q in QUERIES["en"]
                for _ in range(3)
            ]
            size_bytes = db.execute("SELECT pg_total_relation_size('docs')").fetchone()[
                0
            ]
            results.append(
                {
                    "documents": size,
                    "index_s": index_s,
                    "query_ms": percentiles(samples),
                    "server_ms": percentiles(executed),
                    "table_bytes": size_bytes,
                }
            )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extra", default="0,1000")
    parser.add_argument("--sizes", default="2000,5000,10000,20000")
    parser.add_argument("--pg-sizes", default="2000,5000,10000,20000,50000")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dump", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",") if n]
    if args.measure:
        print("RESULT " + json.dumps(measure(sizes, args.dump)))
        return 0
    log(f"load average {os.getloadavg()[0]:.1f} (2 cores shared)")
    extras = [int(n) for n in args.extra.split(",")]
    with Stack("search") as stack:
        stack.manage("compilemessages", "--ignore=.venv", "-v0")
        stack.manage("collectstatic", "--noinput", "-v0")
        dump = stack.tmp / "documents.json"
        for extra in extras:
            env = guide(stack, extra)
            last = extra == extras[-1]
            child = subprocess.run(  # noqa: S603 (this very script, fixed arguments)
                [PYTHON, __file__, "--measure", "--sizes", args.sizes if last else "",
                 "--dump", str(dump)],
                cwd=ROOT, env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if child.returncode:
                log(child.stdout + child.stderr)
                return 1
            found = json.loads(child.stdout.split("RESULT ", 1)[1])
            for language, row in found["languages"].items():
                log(
                    f"{extra:>5} extra, {language}: {row['documents']} documents, "
                    f"{row['vocabulary']} terms; build {row['build_s']:.2f} s; "
                    f"serialised {row['serialised_bytes'] / 1e6:.2f} MB; "
                    f"load {row['load_ms']:.0f} ms; memory {row['memory_bytes'] / 1e6:.1f} MB "
                    f"(RSS +{row['rss_growth_bytes'] / 1e6:.1f} MB); search p50/p99 "
                    f"{row['function_ms'][0]:.2f}/{row['function_ms'][1]:.2f} ms "
                    f"(CPU {row['function_cpu_ms'][0]:.2f}/{row['function_cpu_ms'][1]:.2f}); "
                    f"view p50/p99 {row['view_ms'][0]:.2f}/{row['view_ms'][1]:.2f} ms "
                    f"(CPU {row['view_cpu_ms'][0]:.2f}/{row['view_cpu_ms'][1]:.2f})"
                )
            for row in found["scaled"]:
                log(
                    f"python index, {row['documents']} documents (en, repeated): build "
                    f"{row['build_s']:.1f} s; serialised {row['serialised_bytes'] / 1e6:.1f} MB; "
                    f"memory {row['memory_bytes'] / 1e6:.1f} MB; query p50/p99 "
                    f"{row['query_ms'][0]:.2f}/{row['query_ms'][1]:.2f} ms "
                    f"(CPU {row['query_cpu_ms'][0]:.2f}/{row['query_cpu_ms'][1]:.2f})"
                )
        pg_sizes = [int(n) for n in args.pg_sizes.split(",") if n]
        if not args.no_postgres and pg_sizes:
            documents = json.loads(dump.read_text())
            for row in postgres(stack, documents, pg_sizes):
                log(
                    f"postgresql fts, {row['documents']} documents: tsvector + GIN "
                    f"{row['index_s']:.1f} s; table {row['table_bytes'] / 1e6:.1f} MB; "
                    f"query p50/p99 {row['query_ms'][0]:.2f}/{row['query_ms'][1]:.2f} ms "
                    f"(server {row['server_ms'][0]:.2f}/{row['server_ms'][1]:.2f})"
                )
    log(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    run_script(main, "search_bench")
