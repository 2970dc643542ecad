/*
 * test_run_shard.c — shard assignment (bench_shard_has) is stable, complete
 * and disjoint, and spreads units evenly; bench_shard_resolve reads --shard,
 * Slurm array and Kubernetes Indexed Job variables (cases as data).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/run.h"
#include "json/json_util.h"

static const char *const ids[] = {"bbs/db", "bbs/api", "reddit/db", "reddit/api", "shopping/db", "shopping/api",
                                  "todo/db", "todo/api"};
#define N_IDS (sizeof ids / sizeof ids[0])
#define TRIALS 40

/* For N = 1..9 shards, every unit is in exactly one shard, the answer does
 * not change when asked again, and no shard is empty or over twice its share. */
static void test_partition(void **state)
{
    int count, idx, trial;
    size_t i;

    (void)state;
    for (count = 1; count <= 9; count++) {
        long per[9] = {0};

        for (i = 0; i < N_IDS; i++) {
            for (trial = 1; trial <= TRIALS; trial++) {
                int owners = 0, owner = -1;

                for (idx = 0; idx < count; idx++) {
                    if (bench_shard_has(ids[i], trial, idx, count)) {
                        owners++;
                        owner = idx;
                    }
                }
                if (owners != 1)
                    fail_msg("%s trial %d is in %d of %d shards", ids[i], trial, owners, count);
                assert_true(bench_shard_has(ids[i], trial, owner, count));
                per[owner]++;
            }
        }
        for (idx = 0; idx < count; idx++) {
            long share = (long)(N_IDS * TRIALS) / count;

            if (per[idx] == 0 || per[idx] > 2 * share)
                fail_msg("shard %d/%d holds %ld units (share %ld)", idx, count, per[idx], share);
        }
    }
}

typedef struct env_case {
    const char *spec, *shards_opt;
    const char *slurm_id, *slurm_count, *slurm_min, *job_index, *bb_shards;
    bb_result rc;
    int index, count;
} env_case;

static const env_case env_cases[] = {
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, BB_OK, 0, 1},
    {"0/1", NULL, NULL, NULL, NULL, NULL, NULL, BB_OK, 0, 1},
    {"2/3", NULL, NULL, NULL, NULL, NULL, NULL, BB_OK, 2, 3},
    {"3/3", NULL, NULL, NULL, NULL, NULL, NULL, BB_ERR_USAGE, 0, 1},
    {"-1/3", NULL, NULL, NULL, NULL, NULL, NULL, BB_ERR_USAGE, 0, 1},
    {"1/0", NULL, NULL, NULL, NULL, NULL, NULL, BB_ERR_USAGE, 0, 1},
    {"1", NULL, NULL, NULL, NULL, NULL, NULL, BB_ERR_USAGE, 0, 1},
    {"/3", NULL, NULL, NULL, NULL, NULL, NULL, BB_ERR_USAGE, 0, 1},
    {"1/3x", NULL, NULL, NULL, NULL, NULL, NULL, BB_ERR_USAGE, 0, 1},
    /* the option wins over the environment */
    {"1/2", NULL, "3", "4", NULL, NULL, NULL, BB_OK, 1, 2},
    {NULL, NULL, "3", "4", NULL, NULL, NULL, BB_OK, 3, 4},
    /* --array=1-4: ids 1..4, min 1 */
    {NULL, NULL, "4", "4", "1", NULL, NULL, BB_OK, 3, 4},
    {NULL, NULL, "4", "4", NULL, NULL, NULL, BB_ERR_USAGE, 0, 1},
    {NULL, NULL, "x", "4", NULL, NULL, NULL, BB_ERR_USAGE, 0, 1},
    {NULL, NULL, "2", "4", "x", NULL, NULL, BB_ERR_USAGE, 0, 1},
    {NULL, NULL, "0", "4", "1", NULL, NULL, BB_ERR_USAGE, 0, 1},
    {NULL, "5", NULL, NULL, NULL, "2", NULL, BB_OK, 2, 5},
    {NULL, NULL, NULL, NULL, NULL, "2", "5", BB_OK, 2, 5},
    {NULL, "3", NULL, NULL, NULL, "2", "5", BB_OK, 2, 3},
    {NULL, NULL, NULL, NULL, NULL, "2", NULL, BB_ERR_USAGE, 0, 1},
    {NULL, "2", NULL, NULL, NULL, "2", NULL, BB_ERR_USAGE, 0, 1},
};

static void env_set(const char *name, const char *v)
{
    if (v)
        setenv(name, v, 1);
    else
        unsetenv(name);
}

static void test_resolve(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof env_cases / sizeof env_cases[0]; i++) {
        const env_case *c = &env_cases[i];
        int index = -7, count = -7;
        bb_buf err;
        bb_result rc;

        env_set("SLURM_ARRAY_TASK_ID", c->slurm_id);
        env_set("SLURM_ARRAY_TASK_COUNT", c->slurm_count);
        env_set("SLURM_ARRAY_TASK_MIN", c->slurm_min);
        env_set("JOB_COMPLETION_INDEX", c->job_index);
        env_set("BACKBENCH_SHARDS", c->bb_shards);
        bb_buf_init(&err, 512);
        rc = bench_shard_resolve(c->spec, c->shards_opt, &index, &count, &err);
        if (rc != c->rc)
            fail_msg("case %zu: %s, wanted %s (%s)", i, bb_result_name(rc), bb_result_name(c->rc), bb_buf_str(&err));
        if (rc == BB_OK) {
            if (index != c->index || count != c->count)
                fail_msg("case %zu: %d/%d, wanted %d/%d", i, index, count, c->index, c->count);
        } else {
            assert_true(err.len > 0);
        }
        bb_buf_free(&err);
    }
    env_set("SLURM_ARRAY_TASK_ID", NULL);
    env_set("SLURM_ARRAY_TASK_COUNT", NULL);
    env_set("SLURM_ARRAY_TASK_MIN", NULL);
    env_set("JOB_COMPLETION_INDEX", NULL);
    env_set("BACKBENCH_SHARDS", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition),
        cmocka_unit_test(test_resolve),
    };

    bb_json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
