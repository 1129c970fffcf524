package dev.digits.jobs;

import java.util.List;

/** One page of jobs, newest first. */
public record JobPage(List<Job> jobs, int page, int size, long total) {
}
