package org.neurode.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurode.examples.io.AtomicFiles;

/** Issue 12: atomic writes leave no temporary files behind, and the clean-up deletes nothing else. */
class AtomicFilesTest {

    @TempDir
    Path temp;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void issue12_keepingAPreviousGenerationThatIsAlreadyALinkLeavesNoTemporary() throws IOException {
        // GIVEN a checkpoint whose previous generation is a hard link to it (a write killed after keeping the
        // previous generation and before replacing the checkpoint leaves them so; renaming one link of a file
        // over another does nothing, which left the temporary link behind)
        final Path current = Files.writeString(temp.resolve("checkpoint.bin"), "state 2");
        Files.createLink(temp.resolve("checkpoint.prev.bin"), current);
        // WHEN the previous generation is kept again
        AtomicFiles.preserve(current, temp.resolve("checkpoint.prev.bin"));
        // THEN both files hold the content and nothing else is in the folder
        assertEquals(List.of("checkpoint.bin", "checkpoint.prev.bin"), names());
        assertEquals("state 2", Files.readString(temp.resolve("checkpoint.prev.bin")));
        // AND keeping a different file replaces the previous generation
        Files.delete(current);
        Files.writeString(current, "state 3");
        AtomicFiles.preserve(current, temp.resolve("checkpoint.prev.bin"));
        assertEquals("state 3", Files.readString(temp.resolve("checkpoint.prev.bin")));
        assertEquals(List.of("checkpoint.bin", "checkpoint.prev.bin"), names());
    }

    @Test
    void issue12_staleTemporariesOfInterruptedWritesAreRemovedAndNothingElse() throws IOException {
        // GIVEN what killed writes leave (hidden name, target, random UUID, .tmp), next to files that only
        // resemble them and a folder of that name
        final List<String> stale = List.of(".regression.png.0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b.tmp",
                ".checkpoint.bin.12345678-9abc-def0-1234-56789abcdef0.tmp",
                ".neurode-write-check.aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.tmp");
        final List<String> kept = List.of("curves.csv", "notes.tmp", ".hidden.tmp", "x.12345678-9abc-def0-1234-56789abcdef0.tmp",
                ".curves.csv.not-a-uuid.tmp", ".results.json.12345678-9ABC-DEF0-1234-56789ABCDEF0.tmp");
        for (final String n : stale) {
            Files.writeString(temp.resolve(n), "partial");
        }
        for (final String n : kept) {
            Files.writeString(temp.resolve(n), "keep");
        }
        Files.createDirectory(temp.resolve(".model.json.11111111-2222-3333-4444-555555555555.tmp"));
        // WHEN a run starts in the folder
        final Path prepared = AtomicFiles.prepareFolder(temp);
        // THEN exactly the stale temporaries are gone
        assertEquals(temp.toAbsolutePath().normalize(), prepared);
        final List<String> left = names();
        for (final String n : stale) {
            assertTrue(!left.contains(n), n + " left");
        }
        for (final String n : kept) {
            assertTrue(left.contains(n), n + " deleted");
        }
        assertTrue(left.contains(".model.json.11111111-2222-3333-4444-555555555555.tmp"), "folder deleted");
        assertEquals(kept.size() + 1, left.size(), left.toString());
    }
}
