package dev.digits.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class IdxReaderTests {

    @Test
    void readsRawAndGzipFiles() throws IOException {
        byte[] raw = idx(0x08, new int[] {2, 2, 3}, 12);
        IdxData plain = IdxReader.read("plain", new ByteArrayInputStream(raw));
        IdxData gzip = IdxReader.read("gzip", new ByteArrayInputStream(gzip(raw)));

        assertThat(plain.dimensions()).containsExactly(2, 2, 3);
        assertThat(plain.count()).isEqualTo(2);
        assertThat(plain.itemSize()).isEqualTo(6);
        assertThat(plain.values()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(gzip.values()).isEqualTo(plain.values());
    }

    @Test
    void rejectsBadMagicNumber() {
        byte[] bytes = idx(0x08, new int[] {3}, 3);
        bytes[0] = 7;
        assertThatThrownBy(() -> IdxReader.read("labels.idx", new ByteArrayInputStream(bytes)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("labels.idx").hasMessageContaining("magic");
    }

    @Test
    void rejectsUnsupportedElementType() {
        byte[] bytes = idx(0x0D, new int[] {3}, 3);
        assertThatThrownBy(() -> IdxReader.read("floats.idx", new ByteArrayInputStream(bytes)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("floats.idx").hasMessageContaining("element type 0x0d");
    }

    @Test
    void rejectsTruncatedHeader() {
        byte[] bytes = {0, 0, 8, 3, 0, 0};
        assertThatThrownBy(() -> IdxReader.read("short.idx", new ByteArrayInputStream(bytes)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("short.idx").hasMessageContaining("truncated inside the header");
    }

    @Test
    void rejectsTruncatedData() {
        byte[] full = idx(0x08, new int[] {4, 2, 2}, 16);
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        assertThatThrownBy(() -> IdxReader.read("images.idx", new ByteArrayInputStream(cut)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("images.idx").hasMessageContaining("declares 16 values but only 11");
    }

    @Test
    void rejectsTruncatedGzipStream() throws IOException {
        byte[] gz = gzip(idx(0x08, new int[] {100, 28, 28}, 78_400));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> IdxReader.read("images.gz", new ByteArrayInputStream(cut)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("images.gz");
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] full = idx(0x08, new int[] {3}, 3);
        byte[] longer = Arrays.copyOf(full, full.length + 2);
        assertThatThrownBy(() -> IdxReader.read("labels.idx", new ByteArrayInputStream(longer)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("trailing bytes");
    }

    @Test
    void rejectsNonPositiveDimension() {
        byte[] bytes = idx(0x08, new int[] {0, 28}, 0);
        assertThatThrownBy(() -> IdxReader.read("empty.idx", new ByteArrayInputStream(bytes)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("dimension 0 is 0");
    }

    @Test
    void rejectsImagesAndLabelsThatDoNotMatch() {
        IdxData images = new IdxData(new int[] {2, 28, 28}, new byte[2 * 784]);
        IdxData labels = new IdxData(new int[] {3}, new byte[3]);
        assertThatThrownBy(() -> LabelledImages.of(images, labels, "pair"))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("pair").hasMessageContaining("2 images but 3 labels");
        IdxData small = new IdxData(new int[] {2, 14, 14}, new byte[2 * 196]);
        assertThatThrownBy(() -> LabelledImages.of(small, new IdxData(new int[] {2}, new byte[2]), "small"))
                .hasMessageContaining("[n, 28, 28]");
        assertThatThrownBy(() -> LabelledImages.of(images, new IdxData(new int[] {2}, new byte[] {1, 12}), "labels"))
                .hasMessageContaining("label out of range");
    }

    static byte[] idx(int type, int[] dimensions, int values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {0, 0, (byte) type, (byte) dimensions.length});
            for (int d : dimensions) {
                out.writeInt(d);
            }
            for (int i = 0; i < values; i++) {
                out.writeByte(i);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }
}
