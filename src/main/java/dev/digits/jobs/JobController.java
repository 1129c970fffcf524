package dev.digits.jobs;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Training and fine-tuning jobs over HTTP, with live progress as Server-Sent Events. */
@RestController
@RequestMapping("/jobs")
class JobController {

    private static final long EVENT_STREAM_TIMEOUT_MILLIS = 6 * 60 * 60 * 1000L;

    private final JobService jobs;

    JobController(JobService jobs) {
        this.jobs = jobs;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Job> submit(@RequestBody JobRequest request,
                               @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        Job job = jobs.submit(request, idempotencyKey);
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/jobs/" + job.id())).body(job);
    }

    @GetMapping
    JobPage list(@RequestParam(required = false) JobState state, @RequestParam(defaultValue = "0") int page,
                 @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > 200) {
            throw new InvalidJobRequestException(List.of(new FieldProblem("page/size",
                    "page must be >= 0 and size between 1 and 200")));
        }
        return jobs.list(state, page, size);
    }

    @GetMapping("/{id}")
    Job get(@PathVariable String id) {
        return jobs.get(id);
    }

    @PostMapping("/{id}/cancel")
    Job cancel(@PathVariable String id) {
        return jobs.cancel(id);
    }

    /** The job now, then one event per progress update and per state change, until it finishes. */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable String id) throws IOException {
        Job current = jobs.get(id);
        SseEmitter emitter = new SseEmitter(EVENT_STREAM_TIMEOUT_MILLIS);
        emitter.send(SseEmitter.event().name("state").data(current, MediaType.APPLICATION_JSON));
        if (current.state().isFinished()) {
            emitter.complete();
            return emitter;
        }
        Runnable unsubscribe = jobs.subscribe(id, event -> {
            try {
                emitter.send(SseEmitter.event().name(event.type()).data(event.job(), MediaType.APPLICATION_JSON));
                if (event.job().state().isFinished()) {
                    emitter.complete();
                }
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e);
            }
        });
        emitter.onCompletion(unsubscribe);
        emitter.onTimeout(unsubscribe);
        emitter.onError(e -> unsubscribe.run());
        return emitter;
    }
}
