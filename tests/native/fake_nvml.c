/*
 * A stand-in for libnvidia-ml.so.1 so the router's real NVML bindings and marshalling run in
 * tests on machines without a GPU. It exports the functions the router calls, with NVML's
 * real signatures and struct layouts, and reports two "NVIDIA GeForce RTX 3090" of 24 GiB.
 *
 * Behaviour is scripted by a file of `key=value` lines that is re-read on every call, so a
 * test can change memory or inject errors while a poller runs. The script is, in order:
 *   1. `fake_nvml.script` in the directory this library was loaded from, if it exists;
 *   2. the file named by the environment variable FAKE_NVML_SCRIPT.
 * The sibling file wins so that tests, which copy the library into a folder of their own,
 * stay isolated from each other and from a process-wide variable another test may set.
 *
 * Keys (N is a device index; unknown keys are ignored):
 *   count=2                       number of devices (at most 8)
 *   init_error=CODE               nvmlInit_v2 fails with that nvmlReturn_t
 *   count_error=CODE              nvmlDeviceGetCount_v2 fails with that nvmlReturn_t
 *   gpuN.name=TEXT  gpuN.uuid=TEXT
 *   gpuN.total_mib=24576  gpuN.used_mib=M (default: the sum of gpuN.processes)
 *   gpuN.util=PCT  gpuN.mem_util=PCT  gpuN.temp=C  gpuN.power_mw=MW
 *   gpuN.processes=PID:MIB,PID:MIB,...
 *   gpuN.lost=1                   every query of that device answers NVML_ERROR_GPU_IS_LOST
 *   gpuN.error=CODE               every query of that device answers CODE
 *   gpuN.fail.CALL=CODE           one query answers CODE; CALL is one of name, uuid, memory,
 *                                 utilization, temperature, power, processes
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int nvmlReturn_t;

enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_GPU_IS_LOST = 15,
};

#define MAX_DEVICES 8
#define MAX_PROCESSES 256
#define MIB (1024ULL * 1024ULL)

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
/* The v2 layout, shared by nvmlDeviceGetComputeRunningProcesses_v2 and _v3: 24 bytes. */
typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} nvmlProcessInfo_t;

/* Handles point into this array, as real ones point at driver-owned structs. */
struct fake_device { int index; };
typedef struct fake_device *nvmlDevice_t;
static struct fake_device devices[MAX_DEVICES] = {{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}};

struct gpu_script {
    char name[96], uuid[96];
    int fail[8];
    unsigned long long total_mib, used_mib;
    int used_set, error;
    unsigned int util, mem_util, temp, power_mw, process_count;
    unsigned int pids[MAX_PROCESSES];
    unsigned long long process_mib[MAX_PROCESSES];
};

struct script {
    unsigned int count;
    int init_error, count_error;
    struct gpu_script gpu[MAX_DEVICES];
};

static int init_count;

static const char *calls[] = {"name", "uuid", "memory", "utilization", "temperature", "power",
                              "processes", NULL};

static int call_index(const char *call) {
    for (int i = 0; calls[i]; i++)
        if (strcmp(calls[i], call) == 0) return i;
    return -1;
}

static void defaults(struct script *s) {
    memset(s, 0, sizeof *s);
    s->count = 2;
    for (int i = 0; i < MAX_DEVICES; i++) {
        struct gpu_script *g = &s->gpu[i];
        snprintf(g->name, sizeof g->name, "NVIDIA GeForce RTX 3090");
        snprintf(g->uuid, sizeof g->uuid, "GPU-fa4e0000-0000-0000-0000-00000000000%d", i);
        g->total_mib = 24576;
        g->temp = 40;
        g->power_mw = 30000;
    }
}

static void parse_processes(struct gpu_script *g, char *value) {
    g->process_count = 0;
    for (char *item = strtok(value, ","); item && g->process_count < MAX_PROCESSES;
         item = strtok(NULL, ",")) {
        unsigned int pid;
        unsigned long long mib;
        if (sscanf(item, "%u:%llu", &pid, &mib) == 2) {
            g->pids[g->process_count] = pid;
            g->process_mib[g->process_count++] = mib;
        }
    }
}

static void apply_gpu_key(struct gpu_script *g, const char *key, char *value) {
    if (strcmp(key, "name") == 0) snprintf(g->name, sizeof g->name, "%s", value);
    else if (strcmp(key, "uuid") == 0) snprintf(g->uuid, sizeof g->uuid, "%s", value);
    else if (strcmp(key, "total_mib") == 0) g->total_mib = strtoull(value, NULL, 10);
    else if (strcmp(key, "used_mib") == 0) { g->used_mib = strtoull(value, NULL, 10); g->used_set = 1; }
    else if (strcmp(key, "util") == 0) g->util = (unsigned int)strtoul(value, NULL, 10);
    else if (strcmp(key, "mem_util") == 0) g->mem_util = (unsigned int)strtoul(value, NULL, 10);
    else if (strcmp(key, "temp") == 0) g->temp = (unsigned int)strtoul(value, NULL, 10);
    else if (strcmp(key, "power_mw") == 0) g->power_mw = (unsigned int)strtoul(value, NULL, 10);
    else if (strcmp(key, "processes") == 0) parse_processes(g, value);
    else if (strcmp(key, "lost") == 0) { if (atoi(value)) g->error = NVML_ERROR_GPU_IS_LOST; }
    else if (strcmp(key, "error") == 0) g->error = atoi(value);
    else if (strncmp(key, "fail.", 5) == 0) {
        int call = call_index(key + 5);
        if (call >= 0) g->fail[call] = atoi(value);
    }
}

static void apply_line(struct script *s, char *line) {
    line[strcspn(line, "\r\n")] = '\0';
    char *eq = strchr(line, '=');
    if (line[0] == '#' || !eq) return;
    *eq = '\0';
    char *key = line, *value = eq + 1;
    if (strcmp(key, "count") == 0) {
        s->count = (unsigned int)strtoul(value, NULL, 10);
        if (s->count > MAX_DEVICES) s->count = MAX_DEVICES;
    } else if (strcmp(key, "init_error") == 0) {
        s->init_error = atoi(value);
    } else if (strcmp(key, "count_error") == 0) {
        s->count_error = atoi(value);
    } else if (strncmp(key, "gpu", 3) == 0) {
        char *dot;
        long index = strtol(key + 3, &dot, 10);
        if (*dot == '.' && index >= 0 && index < MAX_DEVICES) apply_gpu_key(&s->gpu[index], dot + 1, value);
    }
}

static FILE *open_script(void) {
    Dl_info info;
    if (dladdr((void *)&open_script, &info) && info.dli_fname) {
        char path[4096];
        const char *slash = strrchr(info.dli_fname, '/');
        if (slash) {
            snprintf(path, sizeof path, "%.*s/fake_nvml.script", (int)(slash - info.dli_fname),
                     info.dli_fname);
            FILE *f = fopen(path, "r");
            if (f) return f;
        }
    }
    const char *env = getenv("FAKE_NVML_SCRIPT");
    return env && *env ? fopen(env, "r") : NULL;
}

/* Re-read on every call: the file is small and tests rewrite it while a poller runs. */
static void load(struct script *s) {
    defaults(s);
    FILE *f = open_script();
    if (!f) return;
    char line[8192];
    while (fgets(line, sizeof line, f)) apply_line(s, line);
    fclose(f);
    for (int i = 0; i < MAX_DEVICES; i++) {
        struct gpu_script *g = &s->gpu[i];
        if (!g->used_set) {
            g->used_mib = 0;
            for (unsigned int p = 0; p < g->process_count; p++) g->used_mib += g->process_mib[p];
        }
    }
}

/* Common prologue of every device query: initialized, valid handle, scripted failures. */
static nvmlReturn_t device(nvmlDevice_t handle, const char *call, struct script *s,
                           struct gpu_script **g) {
    if (init_count <= 0) return NVML_ERROR_UNINITIALIZED;
    load(s);
    if (!handle || handle < devices || handle >= devices + MAX_DEVICES) return NVML_ERROR_INVALID_ARGUMENT;
    if ((unsigned int)handle->index >= s->count) return NVML_ERROR_INVALID_ARGUMENT;
    *g = &s->gpu[handle->index];
    if ((*g)->error) return (*g)->error;
    int fail = (*g)->fail[call_index(call)];
    return fail ? fail : NVML_SUCCESS;
}

static nvmlReturn_t copy_string(const char *value, char *out, unsigned int length) {
    if (!out) return NVML_ERROR_INVALID_ARGUMENT;
    if (strlen(value) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
    memcpy(out, value, strlen(value) + 1);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlInit_v2(void) {
    struct script s;
    load(&s);
    if (s.init_error) return s.init_error;
    init_count++;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) {
    if (init_count <= 0) return NVML_ERROR_UNINITIALIZED;
    init_count--;
    return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t result) {
    switch (result) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case 6: return "Not Found";
    case 7: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    case 10: return "Timeout";
    case 12: return "NVML Shared Library Not Found";
    case 15: return "GPU is lost";
    case 18: return "RM has detected an NVML/RM version mismatch.";
    default: return "Unknown Error";
    }
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
    if (init_count <= 0) return NVML_ERROR_UNINITIALIZED;
    if (!count) return NVML_ERROR_INVALID_ARGUMENT;
    struct script s;
    load(&s);
    if (s.count_error) return s.count_error;
    *count = s.count;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *handle) {
    if (init_count <= 0) return NVML_ERROR_UNINITIALIZED;
    struct script s;
    load(&s);
    if (!handle || index >= s.count) return NVML_ERROR_INVALID_ARGUMENT;
    *handle = &devices[index];
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t handle, char *name, unsigned int length) {
    struct script s;
    struct gpu_script *g;
    nvmlReturn_t rc = device(handle, "name", &s, &g);
    return rc ? rc : copy_string(g->name, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t handle, char *uuid, unsigned int length) {
    struct script s;
    struct gpu_script *g;
    nvmlReturn_t rc = device(handle, "uuid", &s, &g);
    return rc ? rc : copy_string(g->uuid, uuid, length);
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t handle, nvmlMemory_t *memory) {
    struct script s;
    struct gpu_script *g;
    nvmlReturn_t rc = device(handle, "memory", &s, &g);
    if (rc) return rc;
    if (!memory) return NVML_ERROR_INVALID_ARGUMENT;
    memory->total = g->total_mib * MIB;
    memory->used = g->used_mib * MIB;
    memory->free = g->used_mib > g->total_mib ? 0 : (g->total_mib - g->used_mib) * MIB;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t handle, nvmlUtilization_t *utilization) {
    struct script s;
    struct gpu_script *g;
    nvmlReturn_t rc = device(handle, "utilization", &s, &g);
    if (rc) return rc;
    if (!utilization) return NVML_ERROR_INVALID_ARGUMENT;
    utilization->gpu = g->util;
    utilization->memory = g->mem_util;
    return NVML_SUCCESS;
}

/* sensorType 0 is NVML_TEMPERATURE_GPU, the only sensor NVML defines. */
nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t handle, int sensorType, unsigned int *temp) {
    struct script s;
    struct gpu_script *g;
    nvmlReturn_t rc = device(handle, "temperature", &s, &g);
    if (rc) return rc;
    if (!temp || sensorType != 0) return NVML_ERROR_INVALID_ARGUMENT;
    *temp = g->temp;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t handle, unsigned int *power) {
    struct script s;
    struct gpu_script *g;
    nvmlReturn_t rc = device(handle, "power", &s, &g);
    if (rc) return rc;
    if (!power) return NVML_ERROR_INVALID_ARGUMENT;
    *power = g->power_mw;
    return NVML_SUCCESS;
}

/* Like NVML: a buffer too small (or none) answers INSUFFICIENT_SIZE with the count needed. */
static nvmlReturn_t processes(nvmlDevice_t handle, unsigned int *count, nvmlProcessInfo_t *infos) {
    struct script s;
    struct gpu_script *g;
    nvmlReturn_t rc = device(handle, "processes", &s, &g);
    if (rc) return rc;
    if (!count) return NVML_ERROR_INVALID_ARGUMENT;
    if (*count < g->process_count || (!infos && g->process_count)) {
        *count = g->process_count;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    for (unsigned int i = 0; i < g->process_count; i++) {
        memset(&infos[i], 0, sizeof infos[i]);
        infos[i].pid = g->pids[i];
        infos[i].usedGpuMemory = g->process_mib[i] * MIB;
        infos[i].gpuInstanceId = 0xFFFFFFFFu;
        infos[i].computeInstanceId = 0xFFFFFFFFu;
    }
    *count = g->process_count;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t handle, unsigned int *count,
                                                     nvmlProcessInfo_t *infos) {
    return processes(handle, count, infos);
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t handle, unsigned int *count,
                                                     nvmlProcessInfo_t *infos) {
    return processes(handle, count, infos);
}
