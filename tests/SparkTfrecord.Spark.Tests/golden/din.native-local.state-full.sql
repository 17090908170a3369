/* sparktf: din.yaml, date 2024-05-01, writer native (Parquet for sparktf encode), Spark 3.2 to 4.x, ANSI on or off */
SET spark.sql.session.timeZone = UTC;

SET spark.sql.csv.parser.columnPruning.enabled = false;

CREATE OR REPLACE TEMPORARY VIEW `state_file_days_clicks` AS
SELECT * FROM (VALUES ('/data/logs/clicks/dt=2024-04-16/part-00000.csv', DATE '2024-04-16'), ('/data/logs/clicks/dt=2024-04-17/part-00000.csv', DATE '2024-04-17'), ('/data/logs/clicks/dt=2024-04-18/part-00000.csv', DATE '2024-04-18'), ('/data/logs/clicks/dt=2024-04-19/part-00000.csv', DATE '2024-04-19'), ('/data/logs/clicks/dt=2024-04-20/part-00000.csv', DATE '2024-04-20'), ('/data/logs/clicks/dt=2024-04-21/part-00000.csv', DATE '2024-04-21'), ('/data/logs/clicks/dt=2024-04-22/part-00000.csv', DATE '2024-04-22'), ('/data/logs/clicks/dt=2024-04-23/part-00000.csv', DATE '2024-04-23'), ('/data/logs/clicks/dt=2024-04-24/part-00000.csv', DATE '2024-04-24'), ('/data/logs/clicks/dt=2024-04-25/part-00000.csv', DATE '2024-04-25'), ('/data/logs/clicks/dt=2024-04-26/part-00000.csv', DATE '2024-04-26'), ('/data/logs/clicks/dt=2024-04-27/part-00000.csv', DATE '2024-04-27'), ('/data/logs/clicks/dt=2024-04-28/part-00000.csv', DATE '2024-04-28'), ('/data/logs/clicks/dt=2024-04-29/part-00000.csv', DATE '2024-04-29'), ('/data/logs/clicks/dt=2024-04-30/part-00000.csv', DATE '2024-04-30'), ('/data/logs/clicks/dt=2024-05-01/part-00000.csv', DATE '2024-05-01'), ('/data/logs/clicks/dt=2024-05-02/part-00000.csv', DATE '2024-05-02')) v(__file, __partition);

CREATE OR REPLACE TEMPORARY VIEW `sparktf_src_impressions`
USING parquet
OPTIONS ('path' 'file:///data/logs/impressions/{dt=2024-05-01,dt=2024-05-02}', 'mergeSchema' 'true');

CREATE OR REPLACE TEMPORARY VIEW `typed_impressions` AS
SELECT *, CASE WHEN __skip THEN NULL WHEN __bad IS NOT NULL THEN __bad WHEN __ts IS NULL THEN 'time column \'ts\' is null or not a valid epoch milliseconds' WHEN `request_id` IS NULL THEN 'key column \'request_id\' is null' WHEN `item_id` IS NULL THEN 'key column \'item_id\' is null' WHEN `user_id` IS NULL THEN 'key column \'user_id\' is null' END AS __reason FROM (
  SELECT CAST(`request_id` AS STRING) AS `request_id`, CAST(`item_id` AS STRING) AS `item_id`, CAST(`user_id` AS STRING) AS `user_id`, `device` AS `device`, (CASE WHEN (trim(CAST(`ts` AS STRING)) RLIKE '^(?:[+-]?[0-9]+)\\z') THEN CASE WHEN try_cast(trim(CAST(`ts` AS STRING)) AS BIGINT) BETWEEN -9223372036854775 AND 9223372036854775 THEN try_cast(trim(CAST(`ts` AS STRING)) AS BIGINT) * 1000 END WHEN (trim(CAST(`ts` AS STRING)) RLIKE '^(?:[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?)\\z') THEN CASE WHEN abs(try_cast(trim(CAST(`ts` AS STRING)) AS DOUBLE) * 1000) < CAST(9223372036854775807 AS DOUBLE) THEN CAST(round(try_cast(trim(CAST(`ts` AS STRING)) AS DOUBLE) * 1000) AS BIGINT) END END) AS __ts, __file, __row, __bad, __skip, coalesce(r.__raw, to_json(named_struct('request_id', r.`request_id`, 'item_id', r.`item_id`, 'user_id', r.`user_id`, 'device', r.`device`, 'ts', r.`ts`), map('ignoreNullFields', 'false'))) AS __raw
  FROM (SELECT `request_id`, `item_id`, `user_id`, `device`, `ts`, input_file_name() AS __file, CAST(NULL AS BIGINT) AS __row, CAST(NULL AS STRING) AS __bad, FALSE AS __skip, CAST(NULL AS STRING) AS __raw FROM `sparktf_src_impressions`) r
) t;

CREATE OR REPLACE TEMPORARY VIEW `sparktf_src_clicks`
USING parquet
OPTIONS ('path' 'file:///data/logs/clicks/{dt=2024-04-16,dt=2024-04-17,dt=2024-04-18,dt=2024-04-19,dt=2024-04-20,dt=2024-04-21,dt=2024-04-22,dt=2024-04-23,dt=2024-04-24,dt=2024-04-25,dt=2024-04-26,dt=2024-04-27,dt=2024-04-28,dt=2024-04-29,dt=2024-04-30,dt=2024-05-01,dt=2024-05-02}', 'mergeSchema' 'true');

CREATE OR REPLACE TEMPORARY VIEW `typed_clicks` AS
SELECT *, CASE WHEN __skip THEN NULL WHEN __bad IS NOT NULL THEN __bad WHEN __ts IS NULL THEN 'time column \'ts\' is null or not a valid epoch milliseconds' WHEN `request_id` IS NULL THEN 'key column \'request_id\' is null' WHEN `item_id` IS NULL THEN 'key column \'item_id\' is null' WHEN `user_id` IS NULL THEN 'key column \'user_id\' is null' END AS __reason FROM (
  SELECT CAST(`request_id` AS STRING) AS `request_id`, CAST(`item_id` AS STRING) AS `item_id`, CAST(`user_id` AS STRING) AS `user_id`, (CASE WHEN (trim(CAST(`ts` AS STRING)) RLIKE '^(?:[+-]?[0-9]+)\\z') THEN CASE WHEN try_cast(trim(CAST(`ts` AS STRING)) AS BIGINT) BETWEEN -9223372036854775 AND 9223372036854775 THEN try_cast(trim(CAST(`ts` AS STRING)) AS BIGINT) * 1000 END WHEN (trim(CAST(`ts` AS STRING)) RLIKE '^(?:[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?)\\z') THEN CASE WHEN abs(try_cast(trim(CAST(`ts` AS STRING)) AS DOUBLE) * 1000) < CAST(9223372036854775807 AS DOUBLE) THEN CAST(round(try_cast(trim(CAST(`ts` AS STRING)) AS DOUBLE) * 1000) AS BIGINT) END END) AS __ts, __file, __row, __bad, __skip, coalesce(r.__raw, to_json(named_struct('request_id', r.`request_id`, 'item_id', r.`item_id`, 'user_id', r.`user_id`, 'ts', r.`ts`), map('ignoreNullFields', 'false'))) AS __raw
  FROM (SELECT `request_id`, `item_id`, `user_id`, `ts`, input_file_name() AS __file, CAST(NULL AS BIGINT) AS __row, CAST(NULL AS STRING) AS __bad, FALSE AS __skip, CAST(NULL AS STRING) AS __raw FROM `sparktf_src_clicks`) r
) t;

CREATE OR REPLACE TEMPORARY VIEW `sparktf_src_users`
USING parquet
OPTIONS ('path' 'file:///data/logs/users', 'mergeSchema' 'true');

CREATE OR REPLACE TEMPORARY VIEW `typed_users` AS
SELECT *, CASE WHEN __skip THEN NULL WHEN __bad IS NOT NULL THEN __bad WHEN __ts IS NULL THEN 'time column \'updated_at\' is null or not a valid epoch milliseconds' WHEN `user_id` IS NULL THEN 'key column \'user_id\' is null' END AS __reason FROM (
  SELECT CAST(`user_id` AS STRING) AS `user_id`, `age` AS `age`, `gender` AS `gender`, (CASE WHEN (trim(CAST(`updated_at` AS STRING)) RLIKE '^(?:[+-]?[0-9]+)\\z') THEN CASE WHEN try_cast(trim(CAST(`updated_at` AS STRING)) AS BIGINT) BETWEEN -9223372036854775 AND 9223372036854775 THEN try_cast(trim(CAST(`updated_at` AS STRING)) AS BIGINT) * 1000 END WHEN (trim(CAST(`updated_at` AS STRING)) RLIKE '^(?:[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?)\\z') THEN CASE WHEN abs(try_cast(trim(CAST(`updated_at` AS STRING)) AS DOUBLE) * 1000) < CAST(9223372036854775807 AS DOUBLE) THEN CAST(round(try_cast(trim(CAST(`updated_at` AS STRING)) AS DOUBLE) * 1000) AS BIGINT) END END) AS __ts, __file, __row, __bad, __skip, coalesce(r.__raw, to_json(named_struct('user_id', r.`user_id`, 'age', r.`age`, 'gender', r.`gender`, 'updated_at', r.`updated_at`), map('ignoreNullFields', 'false'))) AS __raw
  FROM (SELECT `user_id`, `age`, `gender`, `updated_at`, input_file_name() AS __file, CAST(NULL AS BIGINT) AS __row, CAST(NULL AS STRING) AS __bad, FALSE AS __skip, CAST(NULL AS STRING) AS __raw FROM `sparktf_src_users`) r
) t;

CREATE OR REPLACE TEMPORARY VIEW `sparktf_src_items`
USING parquet
OPTIONS ('path' 'file:///data/logs/items', 'mergeSchema' 'true');

CREATE OR REPLACE TEMPORARY VIEW `typed_items` AS
SELECT *, CASE WHEN __skip THEN NULL WHEN __bad IS NOT NULL THEN __bad WHEN __ts IS NULL THEN 'time column \'updated_at\' is null or not a valid epoch milliseconds' WHEN `item_id` IS NULL THEN 'key column \'item_id\' is null' END AS __reason FROM (
  SELECT CAST(`item_id` AS STRING) AS `item_id`, (CASE WHEN (trim(CAST(`updated_at` AS STRING)) RLIKE '^(?:[+-]?[0-9]+)\\z') THEN CASE WHEN try_cast(trim(CAST(`updated_at` AS STRING)) AS BIGINT) BETWEEN -9223372036854775 AND 9223372036854775 THEN try_cast(trim(CAST(`updated_at` AS STRING)) AS BIGINT) * 1000 END WHEN (trim(CAST(`updated_at` AS STRING)) RLIKE '^(?:[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?)\\z') THEN CASE WHEN abs(try_cast(trim(CAST(`updated_at` AS STRING)) AS DOUBLE) * 1000) < CAST(9223372036854775807 AS DOUBLE) THEN CAST(round(try_cast(trim(CAST(`updated_at` AS STRING)) AS DOUBLE) * 1000) AS BIGINT) END END) AS __ts, __file, __row, __bad, __skip, coalesce(r.__raw, to_json(named_struct('item_id', r.`item_id`, 'updated_at', r.`updated_at`), map('ignoreNullFields', 'false'))) AS __raw
  FROM (SELECT `item_id`, `updated_at`, input_file_name() AS __file, CAST(NULL AS BIGINT) AS __row, CAST(NULL AS STRING) AS __bad, FALSE AS __skip, CAST(NULL AS STRING) AS __raw FROM `sparktf_src_items`) r
) t;

CREATE OR REPLACE TEMPORARY VIEW `sparktf_input_counts` AS
SELECT *, CASE WHEN `sparktf_rows_read` = 0 THEN TRUE ELSE CAST(`sparktf_rows_bad` AS DOUBLE) / CAST(`sparktf_rows_read` AS DOUBLE) <= CAST(0.01 AS DOUBLE) END AS `sparktf_bad_rows_within_limit` FROM (
SELECT `read_impressions` + `read_clicks` + `read_users` + `read_items` AS `sparktf_rows_read`, `quarantined_impressions` + `quarantined_clicks` + `quarantined_users` + `quarantined_items` AS `sparktf_rows_bad`, `read_impressions` AS `read_impressions`, `quarantined_impressions` AS `quarantined_impressions`, `read_clicks` AS `read_clicks`, `quarantined_clicks` AS `quarantined_clicks`, `read_users` AS `read_users`, `quarantined_users` AS `quarantined_users`, `read_items` AS `read_items`, `quarantined_items` AS `quarantined_items` FROM (
  SELECT CAST(coalesce(sum(CASE WHEN NOT __skip THEN 1 ELSE 0 END), 0) AS BIGINT) AS `read_impressions`, CAST(coalesce(sum(CASE WHEN __reason IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS `quarantined_impressions`
  FROM `typed_impressions`
) s0 CROSS JOIN (
  SELECT CAST(coalesce(sum(CASE WHEN NOT __skip THEN 1 ELSE 0 END), 0) AS BIGINT) AS `read_clicks`, CAST(coalesce(sum(CASE WHEN __reason IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS `quarantined_clicks`
  FROM `typed_clicks`
) s1 CROSS JOIN (
  SELECT CAST(coalesce(sum(CASE WHEN NOT __skip THEN 1 ELSE 0 END), 0) AS BIGINT) AS `read_users`, CAST(coalesce(sum(CASE WHEN __reason IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS `quarantined_users`
  FROM `typed_users`
) s2 CROSS JOIN (
  SELECT CAST(coalesce(sum(CASE WHEN NOT __skip THEN 1 ELSE 0 END), 0) AS BIGINT) AS `read_items`, CAST(coalesce(sum(CASE WHEN __reason IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS `quarantined_items`
  FROM `typed_items`
) s3
) c;

CACHE TABLE `sparktf_input_counts`;

SELECT `sparktf_rows_read`, `sparktf_rows_bad`, `read_impressions`, `quarantined_impressions`, `read_clicks`, `quarantined_clicks`, `read_users`, `quarantined_users`, `read_items`, `quarantined_items` FROM `sparktf_input_counts`;

SELECT assert_true(`sparktf_bad_rows_within_limit`, concat('sparktf: too many bad input rows: ', CAST(`sparktf_rows_bad` AS STRING), ' of ', CAST(`sparktf_rows_read` AS STRING), ' rows read are bad (', 'impressions ', CAST(`quarantined_impressions` AS STRING), ' of ', CAST(`read_impressions` AS STRING), ', clicks ', CAST(`quarantined_clicks` AS STRING), ' of ', CAST(`read_clicks` AS STRING), ', users ', CAST(`quarantined_users` AS STRING), ' of ', CAST(`read_users` AS STRING), ', items ', CAST(`quarantined_items` AS STRING), ' of ', CAST(`read_items` AS STRING), '), above the limit of 0.01 (quarantine.max_bad_fraction or --max-bad-fraction). Nothing was written. Fix the bad input rows (null keys, unparsable times, malformed lines), or raise --max-bad-fraction if they may be dropped.')) AS `sparktf_bad_rows_check` FROM `sparktf_input_counts`;

SELECT assert_true(`sparktf_state_files_listed`, concat('sparktf: a row of a stateful source comes from a file the launcher did not list: ', CAST(`__unmatched` AS STRING), ' rows of source \'clicks\' (files added while the job started, or a path Spark spells otherwise). Nothing was written. Rerun the day.')) AS `sparktf_state_partition_check` FROM (SELECT count(*) = 0 AS `sparktf_state_files_listed`, count(*) AS `__unmatched` FROM `typed_clicks` t LEFT ANTI JOIN `state_file_days_clicks` f ON regexp_replace(t.__file, '^file:/+', '/') = f.__file) c;

CREATE OR REPLACE TEMPORARY VIEW `clean_impressions` AS
SELECT `request_id`, `item_id`, `user_id`, `device`, __ts, __file, __row FROM (
  SELECT *, row_number() OVER (PARTITION BY `request_id`, `item_id` ORDER BY __ts ASC NULLS FIRST, `request_id` ASC NULLS FIRST, `item_id` ASC NULLS FIRST, `user_id` ASC NULLS FIRST, `device` ASC NULLS FIRST, __file ASC NULLS FIRST) AS __rn
  FROM `typed_impressions` WHERE __reason IS NULL AND NOT __skip
) t WHERE __rn = 1;

CREATE OR REPLACE TEMPORARY VIEW `clean_clicks` AS
SELECT `request_id`, `item_id`, `user_id`, __ts, __file, __row FROM `typed_clicks` WHERE __reason IS NULL AND NOT __skip;

CREATE OR REPLACE TEMPORARY VIEW `clean_users` AS
SELECT `user_id`, `age`, `gender`, __ts, __file, __row FROM (
  SELECT *, row_number() OVER (PARTITION BY `user_id`, __ts ORDER BY `user_id` ASC NULLS FIRST, `age` ASC NULLS FIRST, `gender` ASC NULLS FIRST, __file ASC NULLS FIRST) AS __rn
  FROM `typed_users` WHERE __reason IS NULL AND NOT __skip
) t WHERE __rn = 1;

CREATE OR REPLACE TEMPORARY VIEW `clean_items` AS
SELECT `item_id`, __ts, __file, __row FROM (
  SELECT *, row_number() OVER (PARTITION BY `item_id`, __ts ORDER BY `item_id` ASC NULLS FIRST, __file ASC NULLS FIRST) AS __rn
  FROM `typed_items` WHERE __reason IS NULL AND NOT __skip
) t WHERE __rn = 1;

CREATE OR REPLACE TEMPORARY VIEW `asof_versions_users` AS
SELECT *, row_number() OVER (PARTITION BY `user_id` ORDER BY __ts ASC NULLS FIRST) AS __vr FROM `clean_users`;

CREATE OR REPLACE TEMPORARY VIEW `imp` AS
SELECT *, xxhash64(__ts IS NULL, __ts, `request_id` IS NULL, `request_id`, `item_id` IS NULL, `item_id`, `user_id` IS NULL, `user_id`, `device` IS NULL, `device`, __file IS NULL, __file, row_number() OVER (PARTITION BY __ts, `request_id`, `item_id`, `user_id`, `device`, __file ORDER BY __ts ASC NULLS FIRST)) AS __id FROM `clean_impressions`
WHERE __ts >= 1714492800000000 AND __ts < 1714581000000000;

CACHE TABLE `imp`;

SELECT assert_true(`sparktf_row_ids_unique`, concat('sparktf: two impressions share a row id: ', CAST(`__shared` AS STRING), ' more impressions than distinct ids (a 64-bit hash collision). Nothing was written. Rerun the day, and report it if it happens again.')) AS `sparktf_row_id_check` FROM (SELECT count(*) = count(DISTINCT __id) AS `sparktf_row_ids_unique`, count(*) - count(DISTINCT __id) AS `__shared` FROM `imp`) c;

CREATE OR REPLACE TEMPORARY VIEW `labels` AS
SELECT DISTINCT __imp FROM (
  SELECT i.__id AS __imp, row_number() OVER (PARTITION BY c.__file, c.__row, c.__ts, c.`request_id`, c.`item_id` ORDER BY i.__ts DESC NULLS LAST, i.`request_id` DESC NULLS LAST, i.`item_id` DESC NULLS LAST, i.`user_id` DESC NULLS LAST, i.`device` DESC NULLS LAST) AS __rn
  FROM `imp` i JOIN `clean_clicks` c ON i.`request_id` = c.`request_id` AND i.`item_id` = c.`item_id`
    AND c.__ts >= i.__ts AND c.__ts <= i.__ts + 1800000000
  WHERE c.__ts >= 1714492800000000 AND c.__ts < 1714581000000000
) t WHERE __rn = 1;

CREATE OR REPLACE TEMPORARY VIEW `hist_events_0` AS
SELECT __u, __ts, __v, row_number() OVER (PARTITION BY __u ORDER BY __ts ASC NULLS FIRST, __v DESC NULLS LAST) AS __r FROM (
  SELECT e.`user_id` AS __u, e.__ts, CAST(e.`item_id` AS STRING) AS __v
  FROM `clean_clicks` e
  WHERE e.__ts >= 1713196800000000 AND e.__ts < 1714579200000000
) t WHERE __v IS NOT NULL;

CREATE OR REPLACE TEMPORARY VIEW `hist_blocks_0` AS
SELECT __u, __b, transform(sort_array(__l), x -> x.v) AS __l FROM (
  SELECT __u, CAST(floor((__r - 1) / 50) AS BIGINT) AS __b, __r, collect_list(named_struct('r', __r, 'v', __v)) OVER (PARTITION BY __u, CAST(floor((__r - 1) / 50) AS BIGINT)) AS __l
  FROM `hist_events_0`
) t WHERE (__r - 1) % 50 = 0;

CREATE OR REPLACE TEMPORARY VIEW `hist_probe_0` AS
SELECT __id, __u, __ts, __q - row_number() OVER (PARTITION BY __u ORDER BY __ts ASC NULLS FIRST, __id ASC NULLS FIRST) AS __n FROM (
  SELECT __u, __ts, __id, row_number() OVER (PARTITION BY __u ORDER BY __ts ASC NULLS FIRST, __r ASC NULLS FIRST, __id ASC NULLS FIRST) AS __q
  FROM (
    SELECT __u, __ts, __r, CAST(NULL AS BIGINT) AS __id FROM `hist_events_0`
    UNION ALL
    SELECT `user_id` AS __u, __ts AS __ts, CAST(NULL AS BIGINT) AS __r, __id
    FROM (SELECT * FROM `imp` WHERE __ts >= 1714492800000000 AND __ts < 1714579200000000) i
  ) x
) y WHERE __id IS NOT NULL;

CREATE OR REPLACE TEMPORARY VIEW `hist_edge_0` AS
SELECT __id, __u, __ts, __q - row_number() OVER (PARTITION BY __u ORDER BY __ts ASC NULLS FIRST, __id ASC NULLS FIRST) AS __n FROM (
  SELECT __u, __ts, __id, row_number() OVER (PARTITION BY __u ORDER BY __ts ASC NULLS FIRST, __r ASC NULLS FIRST, __id ASC NULLS FIRST) AS __q
  FROM (
    SELECT __u, __ts, __r, CAST(NULL AS BIGINT) AS __id FROM `hist_events_0`
    UNION ALL
    SELECT `user_id` AS __u, __ts - 1296000000000 AS __ts, CAST(NULL AS BIGINT) AS __r, __id
    FROM (SELECT * FROM `imp` WHERE __ts >= 1714492800000000 AND __ts < 1714579200000000) i
  ) x
) y WHERE __id IS NOT NULL;

CREATE OR REPLACE TEMPORARY VIEW `asof_samples_users` AS
SELECT __u, __ts, __q - row_number() OVER (PARTITION BY __u ORDER BY __ts ASC NULLS FIRST) AS __vn FROM (
  SELECT __u, __ts, __vk, row_number() OVER (PARTITION BY __u ORDER BY __ts ASC NULLS FIRST, __vk ASC NULLS FIRST) AS __q
  FROM (
    SELECT `user_id` AS __u, __ts, 0 AS __vk FROM `asof_versions_users`
    UNION ALL
    SELECT DISTINCT __u, __ts, 1 AS __vk FROM (SELECT `user_id` AS __u, __ts FROM `imp` WHERE __ts >= 1714492800000000 AND __ts < 1714579200000000) i
  ) x
) y WHERE __vk = 1;

CREATE OR REPLACE TEMPORARY VIEW `samples` AS
SELECT *, CAST(conv(substr(md5(CAST(__k AS BINARY)), 1, 15), 16, 10) AS BIGINT) AS __h, TRUE AS __kept, 'train' AS __split FROM (
  SELECT CAST(CASE WHEN l.__imp IS NULL THEN 0 ELSE 1 END AS BIGINT) AS `label`,
    CAST(s.`user_id` AS STRING) AS `user_id`,
    coalesce((CASE WHEN (trim(CAST(`t_users`.`age` AS STRING)) RLIKE '^(?:[+-]?[0-9]+)\\z') THEN try_cast(trim(CAST(`t_users`.`age` AS STRING)) AS BIGINT) END), CAST(0 AS BIGINT)) AS `age`,
    coalesce(CAST(`t_users`.`gender` AS STRING), '\u672A\u77E5') AS `gender`,
    coalesce(CAST(s.`device` AS STRING), '') AS `device`,
    CAST(s.`item_id` AS STRING) AS `item_id`,
    (`t_users`.`age` IS NOT NULL AND (CASE WHEN (trim(CAST(`t_users`.`age` AS STRING)) RLIKE '^(?:[+-]?[0-9]+)\\z') THEN try_cast(trim(CAST(`t_users`.`age` AS STRING)) AS BIGINT) END) IS NULL) AS `__invalid_age`,
    s.`request_id` AS `__key_request_id`,
    s.`item_id` AS `__key_item_id`,
    s.`user_id` AS `__key_user_id`,
    `t_users`.`user_id` IS NULL AS `__miss_users`,
    s.__ts AS __ts,
    s.__id AS __id,
    coalesce(s.`request_id`, '') AS __k,
    '' AS __sk
  FROM `imp` s
  LEFT JOIN `asof_samples_users` `p_users` ON `p_users`.__u = s.`user_id` AND `p_users`.__ts = s.__ts
  LEFT JOIN `asof_versions_users` `t_users` ON `t_users`.`user_id` = s.`user_id` AND `t_users`.__vr = `p_users`.__vn
  LEFT JOIN `labels` l ON s.__id = l.__imp
  WHERE s.__ts >= 1714492800000000 AND s.__ts < 1714579200000000
) t;

CACHE TABLE `samples`;

CREATE OR REPLACE TEMPORARY VIEW `samples_histories` AS
SELECT s.*, coalesce(reverse(slice(CASE WHEN c0.__l IS NULL THEN b0.__l ELSE concat(c0.__l, b0.__l) END, greatest(p0.__n - 50, o0.__n) - (CASE WHEN p0.__n > 50 THEN (CASE WHEN p0.__n >= 1 THEN CAST(floor((p0.__n - 1) / 50) AS BIGINT) END - 1) * 50 + 1 ELSE CASE WHEN p0.__n >= 1 THEN CAST(floor((p0.__n - 1) / 50) AS BIGINT) END * 50 + 1 END) + 2, greatest(p0.__n - greatest(p0.__n - 50, o0.__n), 0))), CAST(array() AS ARRAY<STRING>)) AS __l0
FROM `samples` s
  LEFT JOIN `hist_probe_0` p0 ON s.__id = p0.__id
  LEFT JOIN `hist_edge_0` o0 ON s.__id = o0.__id
  LEFT JOIN `hist_blocks_0` b0 ON b0.__u = p0.__u AND b0.__b = CASE WHEN p0.__n >= 1 THEN CAST(floor((p0.__n - 1) / 50) AS BIGINT) END
  LEFT JOIN `hist_blocks_0` c0 ON c0.__u = p0.__u AND c0.__b = CASE WHEN p0.__n >= 51 THEN CAST(floor((p0.__n - 1) / 50) AS BIGINT) END - 1
WHERE s.__kept;

CREATE OR REPLACE TEMPORARY VIEW `state_next_carry_clicks` AS
SELECT `request_id`, `item_id`, `user_id`, __ts, __partition FROM (SELECT t.*, f.__partition FROM `typed_clicks` t JOIN `state_file_days_clicks` f ON regexp_replace(t.__file, '^file:/+', '/') = f.__file WHERE t.__reason IS NULL AND NOT t.__skip AND f.__partition >= DATE '2024-04-17' AND f.__partition <= DATE '2024-05-01') o WHERE __ts >= 1714579200000000;

CREATE OR REPLACE TEMPORARY VIEW `state_next_counts_clicks` AS
SELECT f.__partition, CAST(sum(x.__r) AS BIGINT) AS __r, CAST(sum(x.__q) AS BIGINT) AS __q FROM (
  SELECT t.__file, CASE WHEN t.__skip THEN 0 ELSE 1 END AS __r, CASE WHEN t.__reason IS NULL THEN 0 ELSE 1 END AS __q FROM `typed_clicks` t
) x JOIN `state_file_days_clicks` f ON regexp_replace(x.__file, '^file:/+', '/') = f.__file GROUP BY f.__partition;

CREATE OR REPLACE TEMPORARY VIEW `state_candidates_clicked_items_15d` AS
SELECT __u, __t, __v, __p, count(*) OVER (PARTITION BY __u) AS __n FROM (
  SELECT *, row_number() OVER (PARTITION BY __u, __p ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST) AS __rn FROM (
  SELECT `user_id` AS __u, __ts AS __t, CAST(`item_id` AS STRING) AS __v, __partition AS __p FROM (SELECT t.*, f.__partition FROM `typed_clicks` t JOIN `state_file_days_clicks` f ON regexp_replace(t.__file, '^file:/+', '/') = f.__file WHERE t.__reason IS NULL AND NOT t.__skip AND f.__partition >= DATE '2024-04-17' AND f.__partition <= DATE '2024-05-01') o WHERE __ts >= 1713283200000000 AND __ts < 1714579200000000
  ) x WHERE __v IS NOT NULL
) y WHERE __rn <= 50;

CREATE OR REPLACE TEMPORARY VIEW `state_heavy_clicked_items_15d` AS
SELECT __u, __t, __v, __p, __rk, max(__late) OVER (PARTITION BY __u) AS __exact FROM (
  SELECT __u, __t, __v, __p, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rk,
    CASE WHEN row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) > 50 AND min(__p) OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) < __p THEN 1 ELSE 0 END AS __late
  FROM `state_candidates_clicked_items_15d` WHERE __n > 50
) r;

CREATE OR REPLACE TEMPORARY VIEW `state_exact_clicked_items_15d` AS
SELECT __u, __t, __v, __p FROM `state_heavy_clicked_items_15d` WHERE __exact = 1;

CREATE OR REPLACE TEMPORARY VIEW `state_next_events_clicked_items_15d` AS
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM `state_candidates_clicked_items_15d` WHERE __n <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM `state_heavy_clicked_items_15d` WHERE __exact = 0 AND __rk <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-17'
) z WHERE __p = DATE '2024-04-17' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-18'
) z WHERE __p = DATE '2024-04-18' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-19'
) z WHERE __p = DATE '2024-04-19' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-20'
) z WHERE __p = DATE '2024-04-20' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-21'
) z WHERE __p = DATE '2024-04-21' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-22'
) z WHERE __p = DATE '2024-04-22' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-23'
) z WHERE __p = DATE '2024-04-23' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-24'
) z WHERE __p = DATE '2024-04-24' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-25'
) z WHERE __p = DATE '2024-04-25' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-26'
) z WHERE __p = DATE '2024-04-26' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-27'
) z WHERE __p = DATE '2024-04-27' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-28'
) z WHERE __p = DATE '2024-04-28' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-29'
) z WHERE __p = DATE '2024-04-29' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-04-30'
) z WHERE __p = DATE '2024-04-30' AND __rn <= 50
UNION ALL
SELECT __u AS `user`, __t AS `time`, __v AS `value`, __p AS `partition` FROM (
  SELECT *, row_number() OVER (PARTITION BY __u ORDER BY __t DESC NULLS LAST, __v ASC NULLS FIRST, __p DESC NULLS LAST) AS __rn FROM `state_exact_clicked_items_15d` WHERE __p >= DATE '2024-05-01'
) z WHERE __p = DATE '2024-05-01' AND __rn <= 50;

CREATE OR REPLACE TEMPORARY VIEW `sparktf_output` AS
SELECT s.`label`, s.`user_id`, s.`age`, s.`gender`, s.`device`, s.`item_id`, s.__l0 AS `clicked_items_15d`, s.__h, s.__split, s.`__k` AS `__k`, s.`__ts` AS `__ts`, s.`__key_request_id` AS `__key_request_id`, s.`__key_item_id` AS `__key_item_id`, s.`__key_user_id` AS `__key_user_id` FROM `samples_histories` s
WHERE s.__kept;

CACHE TABLE `sparktf_output`;

INSERT OVERWRITE DIRECTORY 'file:///data/out/.dt=2024-05-01.spark-parquet'
USING parquet
SELECT `label`, `user_id`, `age`, `gender`, `device`, `item_id`, `clicked_items_15d`, `__h`, `__split`, `__k`, `__ts`, `__key_request_id`, `__key_item_id`, `__key_user_id`
FROM `sparktf_output`;

INSERT OVERWRITE DIRECTORY 'file:///data/out/.dt=2024-05-01.spark-parquet/_quarantine'
USING json
OPTIONS ('compression' 'none', 'ignoreNullFields' 'false')
SELECT bad.__source AS `source`, bad.__file AS `file`, bad.__row AS `row`, bad.__reason AS `reason`, bad.__raw AS `raw` FROM (
SELECT __source, __file, __row, __reason, __raw FROM (
  SELECT 'impressions' AS __source, __file, __row, __reason, __raw FROM (SELECT __file, __row, __reason, __raw FROM `typed_impressions` WHERE __reason IS NOT NULL) b
  UNION ALL
  SELECT 'clicks' AS __source, __file, __row, __reason, __raw FROM (SELECT __file, __row, __reason, __raw FROM `typed_clicks` WHERE __reason IS NOT NULL) b
  UNION ALL
  SELECT 'users' AS __source, __file, __row, __reason, __raw FROM (SELECT __file, __row, __reason, __raw FROM `typed_users` WHERE __reason IS NOT NULL) b
  UNION ALL
  SELECT 'items' AS __source, __file, __row, __reason, __raw FROM (SELECT __file, __row, __reason, __raw FROM `typed_items` WHERE __reason IS NOT NULL) b
) q ORDER BY __source ASC NULLS FIRST, __file ASC NULLS FIRST, __row ASC NULLS FIRST, __reason ASC NULLS FIRST, __raw ASC NULLS FIRST
) bad;

INSERT OVERWRITE DIRECTORY 'file:///data/state/.dt=2024-05-01.tmp-<pid>-<id>/events_clicked_items_15d.parquet'
USING parquet
SELECT * FROM `state_next_events_clicked_items_15d`;

INSERT OVERWRITE DIRECTORY 'file:///data/state/.dt=2024-05-01.tmp-<pid>-<id>/carry_clicks.parquet'
USING parquet
SELECT * FROM `state_next_carry_clicks`;

SELECT `sparktf_samples_written`, `positives`, `eval`, `history_min_clicked_items_15d`, `history_sum_clicked_items_15d`, `history_max_clicked_items_15d`, `samples`, `missing_users`, `invalid_age`, `read_impressions`, `quarantined_impressions`, `read_clicks`, `quarantined_clicks`, `read_users`, `quarantined_users`, `read_items`, `quarantined_items`, `sparktf_state_read_clicks_20240417`, `sparktf_state_quarantined_clicks_20240417`, `sparktf_state_read_clicks_20240418`, `sparktf_state_quarantined_clicks_20240418`, `sparktf_state_read_clicks_20240419`, `sparktf_state_quarantined_clicks_20240419`, `sparktf_state_read_clicks_20240420`, `sparktf_state_quarantined_clicks_20240420`, `sparktf_state_read_clicks_20240421`, `sparktf_state_quarantined_clicks_20240421`, `sparktf_state_read_clicks_20240422`, `sparktf_state_quarantined_clicks_20240422`, `sparktf_state_read_clicks_20240423`, `sparktf_state_quarantined_clicks_20240423`, `sparktf_state_read_clicks_20240424`, `sparktf_state_quarantined_clicks_20240424`, `sparktf_state_read_clicks_20240425`, `sparktf_state_quarantined_clicks_20240425`, `sparktf_state_read_clicks_20240426`, `sparktf_state_quarantined_clicks_20240426`, `sparktf_state_read_clicks_20240427`, `sparktf_state_quarantined_clicks_20240427`, `sparktf_state_read_clicks_20240428`, `sparktf_state_quarantined_clicks_20240428`, `sparktf_state_read_clicks_20240429`, `sparktf_state_quarantined_clicks_20240429`, `sparktf_state_read_clicks_20240430`, `sparktf_state_quarantined_clicks_20240430`, `sparktf_state_read_clicks_20240501`, `sparktf_state_quarantined_clicks_20240501` FROM (
  SELECT CAST(count(*) AS BIGINT) AS `sparktf_samples_written`,
    CAST(coalesce(sum(CASE WHEN `label` = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS `positives`,
    CAST(coalesce(sum(CASE WHEN __split = 'eval' THEN 1 ELSE 0 END), 0) AS BIGINT) AS `eval`,
    CAST(coalesce(min(CAST(size(`clicked_items_15d`) AS BIGINT)), 0) AS BIGINT) AS `history_min_clicked_items_15d`,
    CAST(coalesce(sum(CAST(size(`clicked_items_15d`) AS BIGINT)), 0) AS BIGINT) AS `history_sum_clicked_items_15d`,
    CAST(coalesce(max(CAST(size(`clicked_items_15d`) AS BIGINT)), 0) AS BIGINT) AS `history_max_clicked_items_15d`
  FROM `sparktf_output`
) o CROSS JOIN (
  SELECT CAST(count(*) AS BIGINT) AS `samples`,
    CAST(coalesce(sum(CASE WHEN __kept AND `__miss_users` THEN 1 ELSE 0 END), 0) AS BIGINT) AS `missing_users`,
    CAST(coalesce(sum(CASE WHEN __kept AND `__invalid_age` THEN 1 ELSE 0 END), 0) AS BIGINT) AS `invalid_age`
  FROM `samples`
) a CROSS JOIN `sparktf_input_counts` i CROSS JOIN (SELECT CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-17' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240417`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-17' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240417`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-18' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240418`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-18' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240418`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-19' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240419`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-19' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240419`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-20' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240420`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-20' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240420`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-21' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240421`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-21' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240421`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-22' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240422`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-22' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240422`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-23' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240423`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-23' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240423`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-24' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240424`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-24' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240424`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-25' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240425`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-25' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240425`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-26' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240426`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-26' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240426`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-27' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240427`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-27' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240427`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-28' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240428`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-28' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240428`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-29' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240429`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-29' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240429`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-30' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240430`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-04-30' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240430`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-05-01' THEN __r ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_read_clicks_20240501`, CAST(coalesce(sum(CASE WHEN __partition = DATE '2024-05-01' THEN __q ELSE 0 END), 0) AS BIGINT) AS `sparktf_state_quarantined_clicks_20240501` FROM `state_next_counts_clicks`) st0;
