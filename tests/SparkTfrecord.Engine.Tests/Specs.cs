namespace SparkTfrecord.Engine.Tests;

/// <summary>Job configs for the tests: DIN's features plus request_id (to find samples), hour, category and a parallel category history.</summary>
internal static class Specs
{
    public const string Features = """
        spec: 1
        name: test
        features:
          - {name: label, dtype: int64, role: label}
          - {name: request_id, dtype: string, role: context}
          - {name: user_id, dtype: string, role: user}
          - {name: age, dtype: int64, role: user, default: 0}
          - {name: gender, dtype: string, role: user, default: "未知"}
          - {name: device, dtype: string, role: context, default: ""}
          - {name: item_id, dtype: string, role: item}
          - {name: category, dtype: string, role: item, default: "unknown"}
          - {name: hour, dtype: int64, role: context}
          - {name: weekday, dtype: int64, role: context}
          - {name: clicked_items, dtype: string, shape: var, role: history}
          - {name: clicked_categories, dtype: string, shape: var, role: history}

        """;

    public static string Din(string match = "[request_id, item_id]", int maxLength = 3, string extraJob = "", string format = "jsonl", string unit = "text") => Features + $$$"""
        job:
          sources:
            impressions: {path: "{input}/impressions/dt={date..date+1d}", format: {{{format}}}, time: {column: ts, unit: {{{unit}}}, zone: Asia/Shanghai},
                          dedup: [request_id, item_id]}
            clicks:      {path: "{input}/clicks/dt={date-15d..date+1d}", format: {{{format}}}, time: {column: ts, unit: {{{unit}}}, zone: Asia/Shanghai}}
            users:       {path: "{input}/users", format: {{{format}}}, key: user_id}
            items:       {path: "{input}/items", format: {{{format}}}, key: item_id}
          timezone: Asia/Shanghai
          label: {events: clicks, match: {{{match}}}, within: 30m}
          history:
            clicked_items: {events: clicks, value: item_id, window: 15d, max_length: {{{maxLength}}}}
            clicked_categories: {events: clicks, value: items.category, window: 15d, max_length: {{{maxLength}}}, missing: unknown}
          columns: {request_id: impressions.request_id, user_id: impressions.user_id, age: users.age, gender: users.gender,
                    device: impressions.device, item_id: impressions.item_id, category: items.category,
                    hour: hour_of_day(impressions.ts), weekday: day_of_week(impressions.ts)}
          output: {shards: 3, compression: none, shard_key: [request_id, item_id]}
        {{{extraJob}}}
        """;
}
