package dev.digits.datasets;

import dev.digits.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Uploaded labelled images for training and fine-tuning. */
@RestController
@RequestMapping("/datasets")
class DatasetController {

    private final DatasetImporter importer;
    private final DatasetRepository store;
    private final DatasetProperties properties;

    DatasetController(DatasetImporter importer, DatasetRepository store, DatasetProperties properties) {
        this.importer = importer;
        this.store = store;
        this.properties = properties;
    }

    /** A ZIP with folders 0–9 as the body. */
    @PostMapping(consumes = "application/zip")
    ResponseEntity<DatasetInfo> uploadZip(HttpServletRequest request, @RequestParam(defaultValue = "upload") String name) {
        return created(importer.fromZip(name, RequestBodies.read(request, properties.maxUploadSize().toBytes())));
    }

    /** Multipart: a ZIP as {@code file}, or an IDX pair as {@code images} and {@code labels}. */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<DatasetInfo> uploadMultipart(@RequestParam(required = false) MultipartFile file,
                                                @RequestParam(required = false) MultipartFile images,
                                                @RequestParam(required = false) MultipartFile labels,
                                                @RequestParam(defaultValue = "upload") String name) throws IOException {
        if (file != null) {
            return created(importer.fromZip(name, bytes(file)));
        }
        if (images != null && labels != null) {
            return created(importer.fromIdx(name, bytes(images), bytes(labels)));
        }
        throw new InvalidDatasetException("send a ZIP as 'file', or IDX files as 'images' and 'labels'");
    }

    @GetMapping
    List<DatasetInfo> list() {
        return store.list();
    }

    @GetMapping("/{id}")
    DatasetInfo get(@PathVariable String id) {
        return store.info(id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        store.delete(id);
        return ResponseEntity.noContent().build();
    }

    private byte[] bytes(MultipartFile part) throws IOException {
        return RequestBodies.read(part, properties.maxUploadSize().toBytes(), "part '" + part.getName() + "'");
    }

    private static ResponseEntity<DatasetInfo> created(DatasetInfo info) {
        return ResponseEntity.created(URI.create("/datasets/" + info.id())).body(info);
    }
}
