package dev.digits.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** ZIP archives for upload tests, including the malformed ones an attacker would send. */
public final class Zips {

    private Zips() {
    }

    public static byte[] of(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    public static Map<String, byte[]> entries(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return entries;
    }

    /** One entry of {@code megabytes} MB of zeros: about a thousandth of that compressed. */
    public static byte[] bomb(String name, int megabytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < megabytes; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    /** Rewrites every occurrence of an entry name with another of the same length (ZipOutputStream refuses duplicates). */
    public static byte[] renamed(byte[] zip, String from, String to) {
        byte[] a = from.getBytes();
        byte[] b = to.getBytes();
        byte[] copy = zip.clone();
        for (int i = 0; i + a.length <= copy.length; i++) {
            if (Arrays.equals(copy, i, i + a.length, a, 0, a.length)) {
                System.arraycopy(b, 0, copy, i, b.length);
            }
        }
        return copy;
    }

    /** Marks every entry as a Unix symbolic link (its content is the link's target), as {@code zip -y} writes them. */
    public static byte[] asSymlinks(byte[] zip) {
        byte[] copy = zip.clone();
        for (int i = 0; i + 46 <= copy.length; i++) {
            if (copy[i] == 0x50 && copy[i + 1] == 0x4b && copy[i + 2] == 0x01 && copy[i + 3] == 0x02) {
                copy[i + 5] = 3; // version made by: Unix
                int mode = 0120777; // S_IFLNK | 0777, in the upper half of the external attributes
                copy[i + 40] = (byte) mode;
                copy[i + 41] = (byte) (mode >>> 8);
            }
        }
        return copy;
    }
}
