namespace SparkTfrecord.Spec;

/// <summary>What a feature means to the model and the jobs.</summary>
public enum FeatureRole
{
    /// <summary>The training target; exactly one feature has it.</summary>
    Label,

    /// <summary>An attribute of the user.</summary>
    User,

    /// <summary>An attribute of the impression's context (device, time, page).</summary>
    Context,

    /// <summary>An attribute of the shown item.</summary>
    Item,

    /// <summary>The user's behaviour before the impression (for example the items clicked in the last 15 days).</summary>
    History,

    /// <summary>An identifier carried along for joins and debugging (for example a request id), not a model input.</summary>
    Key,

    /// <summary>Anything else.</summary>
    Other,
}
