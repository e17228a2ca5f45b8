package dev.ferry.migrations.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Reading a copy's progress from real rsync output and a real copy Job's log (see resources/copy/README.md). */
class CopyProgressTest {

    static String fixture(String name) {
        return dev.ferry.migrations.inventory.Fixtures.resource("copy/" + name);
    }

    @Test
    void theLastUpdateOfRawRsyncOutputWins() throws IOException {
        assertThat(CopyProgress.parse(fixture("rsync-progress2.out"))).contains(
                new CopyProgress(null, 0, 0, 4_000_231, 99, Math.round(793.14 * 1024), 32, 36, 36));
    }

    @Test
    void anUpdateCutOffWhileBeingWrittenIsSkippedForTheOneBefore() throws IOException {
        String out = fixture("rsync-progress2.out");
        String cut = out.substring(0, out.indexOf("2,686,976") + 5);
        assertThat(CopyProgress.parse(cut)).contains(
                new CopyProgress(null, 0, 0, 1_802_240, 45, 800 * 1024, 0, 0, 0));
    }

    @Test
    void anIncrementalRecursionCountsTheFilesFoundSoFar() throws IOException {
        assertThat(CopyProgress.parse(fixture("rsync-progress2-incremental-running.out"))).contains(
                new CopyProgress(null, 0, 0, 600_201, 99, Math.round(324.43 * 1024), 37, 1442 - 1004, 1442));
    }

    @Test
    void aDeltaWithNothingToDoHasCheckedEverythingAndMovedNothing() throws IOException {
        assertThat(CopyProgress.parse(fixture("rsync-progress2-nothing-to-do.out")))
                .contains(new CopyProgress(null, 0, 0, 0, 0, 0, 0, 36, 36));
    }

    @Test
    void theCopyJobsLogNamesTheRootAndCountsWhatTheRootsBeforeItTransferred() throws IOException {
        String log = fixture("copy-job-log.txt");
        CopyProgress p = CopyProgress.parse(log).orElseThrow();
        assertThat(p.target()).isEqualTo("static.example.test/root");
        assertThat(p.root()).isEqualTo(5);
        assertThat(p.roots()).isEqualTo(5);
        assertThat(p.percent()).isBetween(0, 100);
        assertThat(p.bytesPerSecond()).isPositive();
        // What the four roots before it transferred, from the line's "earlier=", plus this root's own.
        String line = log.lines().filter(l -> l.startsWith("ferry-copy progress root=5/5")).reduce((a, b) -> b)
                .orElseThrow();
        long earlier = Long.parseLong(line.replaceAll(".* earlier=(\\d+) .*", "$1"));
        long own = Long.parseLong(line.replaceAll(".* rsync=\\s*([\\d,]+) .*", "$1").replace(",", ""));
        assertThat(earlier).isPositive();
        assertThat(p.bytes()).isEqualTo(earlier + own);

        // The tail the step reads: earlier lines of the log, or a line cut off, leave the newest whole one.
        String upToLastRoot = log.substring(0, log.indexOf("ferry-copy progress root=5/5"));
        assertThat(CopyProgress.parse(upToLastRoot + "ferry-copy progress root=5/5 target=static.exa"))
                .map(CopyProgress::target).contains("secure.example.test/root");
    }

    @Test
    void aLogWithoutProgressHasNone() {
        assertThat(CopyProgress.parse(null)).isEmpty();
        assertThat(CopyProgress.parse("")).isEmpty();
        assertThat(CopyProgress.parse("fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz\n"
                + "OK: 12 MiB in 24 packages\n")).isEmpty();
        assertThat(CopyProgress.parse("ferry-copy progress root=1/2 target=a/root earlier=0 rsync=garbage\n"))
                .isEmpty();
    }
}
