/*
 * report_data.h — what the report knows: the store's results loaded into
 * typed arrays, and every figure computed from them.
 *
 * report_data_load reads the results store (runs, finished units, and the
 * error and repair classes of their rounds) into a report_data. A leaderboard
 * *entry* is one measured configuration: (model, harness mode, run mode,
 * imported); several runs of one configuration (shards, resumed runs) are one
 * entry. report_stats_compute (report_stats.h) then fills in the figures, and
 * the renderers (report_output.h) only format what is here. Strings from the
 * store are user input: the loader clips them (REPORT_MAX_NAME bytes) and
 * replaces invalid UTF-8 and control characters with '?', and every renderer
 * escapes them for its format. Everything lives in the data's arena and is
 * released by report_data_free.
 */
#ifndef BB_REPORT_DATA_H
#define BB_REPORT_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/result.h"

/* Named limits on what one report reads. */
#define REPORT_MAX_RUNS 4096
#define REPORT_MAX_ENTRIES 256
#define REPORT_MAX_PROJECTS 256
#define REPORT_MAX_UNITS 2000000L
#define REPORT_MAX_NAME 160
#define REPORT_MAX_CLASS 96       /* bytes of one error class ("kind: expected") */
#define REPORT_MAX_TOP 50         /* error / repair classes kept per phase */
#define REPORT_PASSK_MAX 8        /* pass^k is computed for k = 1..min(trials, this) */
#define REPORT_ARENA_MAX ((size_t)1 << 30)

typedef enum report_phase {
    REPORT_PHASE_DB = 0,
    REPORT_PHASE_API,
    REPORT_PHASE_IMPL,
    REPORT_PHASE_TEST,
    REPORT_PHASE_COUNT
} report_phase;

typedef enum report_axis {
    REPORT_AXIS_DB = 0, /* phase db */
    REPORT_AXIS_API,    /* phase api */
    REPORT_AXIS_LOGIC,  /* phases impl and test */
    REPORT_AXIS_COUNT
} report_axis;

typedef enum report_outcome {
    REPORT_OUT_FIRST_TRY = 0, /* first_try_valid */
    REPORT_OUT_REPAIRED,      /* repaired_valid */
    REPORT_OUT_FEEDBACK,      /* feedback_valid */
    REPORT_OUT_INVALID,       /* failed_invalid */
    REPORT_OUT_NO_CALL,       /* failed_no_call */
    REPORT_OUT_INFRA,         /* failed_infra: never counted against the model */
    REPORT_OUT_OTHER,         /* an outcome this report does not know: counted as a failure */
    REPORT_OUT_COUNT
} report_outcome;

typedef enum report_cost_state {
    REPORT_COST_NA = 0,  /* neither reported nor priced: "n/a" */
    REPORT_COST_KNOWN,   /* every unit reported or priced */
    REPORT_COST_SIM      /* a simulated model: 0 by definition */
} report_cost_state;

typedef struct report_params {
    int bootstrap_b;                   /* resamples (default 2000) */
    uint64_t seed;                     /* bootstrap seed (default 20261126) */
    double pass_threshold;             /* a trial passes when score >= this (default 80) */
    double weight[REPORT_AXIS_COUNT];  /* total weights (0.25, 0.25, 0.5) */
    int top_classes;                   /* error / repair classes shown per phase (default 8) */
    const char *registry_json;         /* model registry text; NULL: embedded models/registry.json */
    const char *title;                 /* page title (default "backbench report") */
} report_params;

report_params report_default_params(void);

/* One finished unit (task × trial of one entry). */
typedef struct report_unit {
    int entry;
    int project;
    int phase;            /* report_phase */
    int outcome;          /* report_outcome */
    int trial;
    int rounds;
    const char *task;
    double score;         /* 0-100; NAN when the unit has no score (see report_stats.h) */
    long tokens_in;       /* prompt tokens */
    long tokens_out;      /* completion tokens */
    double cost_usd;      /* as reported; negative when not reported */
} report_unit;

/* A point estimate with its 95% bootstrap interval. present is 0 when there
 * is no data (then the numbers mean nothing). */
typedef struct report_interval {
    int present;
    long n;               /* scored units behind it */
    double mean, lo, hi;
} report_interval;

typedef struct report_entry {
    const char *model_key;    /* as stored (matching runs and the registry) */
    const char *model;        /* cleaned for display */
    const char *label;        /* model, plus harness/run mode when not the default */
    const char *server_kind;
    const char *harness_mode;
    const char *run_mode;
    int imported;
    int simulated;            /* server_kind "sim" */

    /* scores */
    report_interval axis[REPORT_AXIS_COUNT];
    report_interval total;
    double *project_axis;     /* [n_projects * REPORT_AXIS_COUNT], NAN when absent */
    double *project_total;    /* [n_projects], NAN when absent */

    /* harness figures (not for imported entries) */
    long n_outcome[REPORT_OUT_COUNT];
    long n_valid_denominator; /* units that are not infrastructure failures */
    double share_first_try, share_after_repair, share_final; /* NAN when the denominator is 0 */
    double rounds_mean;       /* over units that are not infrastructure failures; NAN if none */
    long units_phase[REPORT_PHASE_COUNT];
    long tokens_in_phase[REPORT_PHASE_COUNT];
    long tokens_out_phase[REPORT_PHASE_COUNT];
    double passk[REPORT_PASSK_MAX + 1];   /* [k], NAN when no task has k trials */
    long passk_tasks[REPORT_PASSK_MAX + 1];

    /* cost */
    int has_price;            /* the registry prices this model */
    double price_in_per_m, price_out_per_m; /* USD per million tokens */
    int cost_state;           /* report_cost_state */
    double cost_usd;          /* total over the entry's units when known */
    int cost_priced;          /* 1 when some unit was priced from the registry */
    int pareto;               /* 1 on the cost/score Pareto front */
} report_entry;

/* A counted class (error class or repair code). */
typedef struct report_count {
    const char *name;
    long n;
} report_count;

typedef struct report_data {
    bb_arena *arena;
    report_params params;

    report_entry *entries;
    size_t n_entries;
    size_t *order;            /* entries by total desc, then label (after compute) */
    const char **projects;    /* sorted */
    size_t n_projects;
    report_unit *units;
    size_t n_units;
    const char **versions;    /* distinct benchmark versions of the runs, sorted */
    size_t n_versions;

    report_count *errors[REPORT_PHASE_COUNT];   /* most common first */
    size_t n_errors[REPORT_PHASE_COUNT];
    long errors_total[REPORT_PHASE_COUNT];
    report_count *repairs[REPORT_PHASE_COUNT];
    size_t n_repairs[REPORT_PHASE_COUNT];
    long repairs_total[REPORT_PHASE_COUNT];

    int phase_present[REPORT_PHASE_COUNT];
    int axis_present[REPORT_AXIS_COUNT];
    int max_trials;           /* most trials of any task */
    int passk_max;            /* min(max_trials, REPORT_PASSK_MAX) */
    double noise_floor;       /* median half-width of the total intervals; NAN if none */
    double noise_floor_axis[REPORT_AXIS_COUNT];
    int any_cost;             /* some entry has a known, non-simulated cost */
} report_data;

/* Reads the store into a new report_data (free with report_data_free).
 * params may be NULL (defaults); it is copied. */
bb_result report_data_load(store *s, const report_params *params, report_data **out /* OUT */);
void report_data_free(report_data *d);

const char *report_phase_name(int phase);   /* "db", "api", "impl", "test" */
const char *report_axis_name(int axis);     /* "db", "api", "logic" */
const char *report_axis_title(int axis);    /* "DB design", "API design", "Logic" */
/* The axis a phase counts towards. */
int report_phase_axis(int phase);

#endif
