package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;

/** The platform a task definition targets. */
@Doc("CPU architecture and operating system of the task.")
public record RuntimePlatform(
        @Default("X86_64")
        @Doc("CPU architecture.")
        CpuArchitecture cpuArchitecture,

        @Default("LINUX")
        @Doc("Operating system family.")
        OperatingSystemFamily operatingSystemFamily) {}
