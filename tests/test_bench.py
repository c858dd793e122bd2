"""The benchmark's own code keeps working: a 50-entry run, every measurement taken."""

from bench import main


def test_the_benchmark_runs_and_measures_plugin_floor_and_preview(tmp_path, capsys):
    report = main([
        "--sizes", "50", "--dense-sizes", "40", "--rounds", "1", "--preview-size", "50", "--engines-size", "50", "--keep", str(tmp_path),
    ])  # fmt: skip
    [(shape, entries, plugin, floor, check), (dense_shape, dense_entries, dense, _, _)] = report.sizes
    assert (shape, entries, dense_shape, dense_entries) == ("sparse", 50, "dense", 40)
    assert dense.pages > 40
    # The plugin adds rule, source, timeline and index pages to the same Markdown files.
    assert plugin.pages > floor.pages > 50
    assert 0 < plugin.peak_mb < 600 and 0 < floor.peak_mb < 600
    assert plugin.cpu_seconds > 0 and floor.cpu_seconds > 0
    assert plugin.largest_page_kb < 1024
    assert all(0 < seconds < 30 for seconds in check)  # a smoke test on a loaded machine: `make bench` measures it
    assert report.preview is not None and all(0 < seconds < 60 for seconds in report.preview)
    assert report.preview_peak_mb is not None and 0 < report.preview_peak_mb < 600
    assert report.preview_first_build is not None and 0 < report.preview_first_build < 60
    assert report.diffs is not None and all(0 < seconds < 10 for seconds in report.diffs.values())
    assert report.engines is not None and report.engines[0] == 50
    assert all(0 < seconds < 60 for seconds in report.engines[2].values())
    assert report.history is not None and report.history[:2] == (50, 1)  # one git log per build
    table = capsys.readouterr().out
    assert "| sparse | 50 |" in table and "| dense | 40 |" in table and "live preview: save to entry and rule page served" in table
    assert "export on Zensical" in table
