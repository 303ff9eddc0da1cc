using System.Text;

namespace GpuRouter.Cli;

/// <summary>Rows under a header, each column as wide as its widest cell; the last column is not padded.</summary>
internal sealed class TextTable(params string[] header)
{
    private readonly List<string[]> _rows = [header];

    public int Count => _rows.Count - 1;

    public TextTable Add(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public void WriteTo(TextWriter output)
    {
        var widths = new int[header.Length];
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length && i < widths.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }
        var line = new StringBuilder();
        foreach (var row in _rows)
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0) line.Append("  ");
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i]));
            }
            output.WriteLine(line.ToString().TrimEnd());
        }
    }
}
