"""bench/report.py on a made-up results directory: the table's CPU per request counts every
serving process for what it used during the run, including one that started during it (a
PostgreSQL backend), which once crashed the report with a KeyError."""
import os
import subprocess
import sys
import tempfile
import unittest

REPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "report.py")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


class CpuPerRequest(unittest.TestCase):
    def run_report(self, before, after, requests=5000):
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "E.json"),
                  '{"requests":%d,"duration_us":10000000,"p50_us":2000,"p99_us":9000,"mean_us":2500,'
                  '"connect_errors":0,"read_errors":0,"write_errors":0,"timeouts":0,"status_errors":0}\n'
                  % requests)
            write(os.path.join(d, "E.cpu.before"), before)
            write(os.path.join(d, "E.cpu.after"), after)
            out = subprocess.run(
                [sys.executable, REPORT, d, "--server-cpus", "1", "--startup-ms", "50",
                 "--peak-rss-kb", "65536", "--database", "PostgreSQL 15"],
                env=dict(os.environ, BENCH_ONLY="E"), capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
            row = next(line for line in out.stdout.splitlines() if line.startswith("| E |"))
            return [c.strip() for c in row.split("|")]

    def test_a_process_that_started_during_the_run_counts_from_zero(self):
        # The server (pid 10) used 30 - 10 = 20 ticks, a backend that started during the run
        # (pid 20) 5: 25 ticks at 100 Hz = 0.25 s over 5 000 requests = 50.0 us a request.
        # CPU 1: 100 of its 1 000 jiffies stolen = 10 %.
        cols = self.run_report("hz 100\npid 10 10\ncpu1 100 0 100 700 0 0 0 100\n",
                               "hz 100\npid 10 30\npid 20 5\ncpu1 200 0 200 1400 0 0 0 200\n")
        self.assertEqual(cols[9], "50.0")
        self.assertEqual(cols[10], "10 %")

    def test_a_reused_pid_with_fewer_ticks_counts_from_zero(self):
        # pid 10 had 40 ticks before and 8 after: a new process, 8 ticks = 16.0 us a request.
        cols = self.run_report("hz 100\npid 10 40\ncpu1 0 0 0 0 0 0 0 0\n",
                               "hz 100\npid 10 8\ncpu1 0 0 0 100 0 0 0 0\n")
        self.assertEqual(cols[9], "16.0")
        self.assertEqual(cols[10], "0 %")


if __name__ == "__main__":
    unittest.main()
