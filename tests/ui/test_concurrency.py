"""The window writing while command-line processes write to the same database, with a restore
attempted in between: every acknowledged write is there afterwards, or the restore was refused
(issue 10, "Done when")."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from casefile.db import backup
from casefile.db.database import open_database
from casefile.db.schema import integrity_check
from casefile.services import cases
from casefile.services.consistency import consistency_problems

WRITER = textwrap.dedent("""
    import sys
    from casefile.cli import main
    db, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for k in range(n):
        title = f"{name}-{k}"
        if main(["--db", db, "case", "new", title]) == 0:
            print("ack", title, flush=True)
""")


def test_window_and_commands_write_together_and_restore_is_refused(qtbot, window, db,
                                                                    cli_env):
    prompts: list[str] = []
    db.on_busy = lambda message, attempt: prompts.append(message) or True  # Retry
    saved = backup.make_backup(db.path, reason="manual")
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(db.path), f"cli{i}", "6"],
                                env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for i in range(3)]
    acked: list[str] = []
    restore = None
    for k in range(30):
        title = f"window-{k}"
        window.controller.create_case(title)
        acked.append(title)
        qtbot.wait(30)
        if k == 12:  # a restore in the middle of it all
            restore = subprocess.run(
                [sys.executable, "-m", "casefile.cli", "--db", str(db.path), "restore",
                 str(saved.path)], env=cli_env, capture_output=True, text=True, timeout=120)
    for p in writers:
        out, err = p.communicate(timeout=300)
        assert "Traceback" not in err, err
        acked += [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("ack")]
    assert restore is not None
    refused = restore.returncode != 0
    if refused:
        assert "open in another Casefile window or command" in restore.stderr
    titles = {c.title for c in cases.list_cases(db)}
    fresh = open_database(db.path)  # what another program sees now
    try:
        on_disk = {c.title for c in cases.list_cases(fresh)}
        assert integrity_check(fresh) == [] and consistency_problems(fresh) == []
    finally:
        fresh.close()
    missing = sorted(set(acked) - on_disk)
    assert refused or not missing, f"the restore went through and lost {missing}"
    assert not missing, missing
    assert set(acked) <= titles
    assert len([t for t in acked if t.startswith("cli")]) > 0


def test_two_windows_on_one_database_see_each_others_edits(qtbot, make_window, db, tmp_path):
    from casefile.db.database import open_database as open_again
    from ui.shell.window import MainWindow

    first = make_window()
    other_db = open_again(db.path)  # the second window is another program: its own handle
    try:
        second = MainWindow(other_db, settings=first.settings)
        qtbot.addWidget(second)
        assert not second.controller.poll_elsewhere()
        first.controller.create_case("Made in the first window")
        assert second.controller.poll_elsewhere()
        assert "Made in the first window" in {c.title for c in second.cases_model.rows}
        second.controller.create_case("Made in the second window")
        assert not second.controller.poll_elsewhere(), "its own edit is not news to it"
        assert first.controller.poll_elsewhere()
        assert "Made in the second window" in {c.title for c in first.cases_model.rows}
        second.close()
    finally:
        other_db.close()
