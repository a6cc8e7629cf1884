using System.Data.Common;

namespace TeamBot.Data;

/// <summary>For the few queries written as plain ADO.NET commands on TeamBot's connection (both providers).</summary>
public static class DbCommands
{
    /// <summary>Adds a parameter named as the command text names it (<c>@name</c>, which SQLite and Npgsql both accept).</summary>
    public static void AddParameter(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
