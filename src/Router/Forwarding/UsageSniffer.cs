namespace GpuRouter.Forwarding;

/// <summary>
/// Picks token counts out of a response as it streams past, without buffering it: it watches for
/// the keys vLLM writes in its usage object (chat/completions: prompt_tokens, completion_tokens;
/// responses: input_tokens, output_tokens) and keeps the last values seen. Keys and numbers may be
/// split across reads; the state carries over.
/// </summary>
internal struct UsageSniffer
{
    private static readonly byte[][] Keys =
    [
        "\"prompt_tokens\":"u8.ToArray(), "\"completion_tokens\":"u8.ToArray(),
        "\"input_tokens\":"u8.ToArray(), "\"output_tokens\":"u8.ToArray(),
    ];

    private int _key;        // index into Keys being matched, -1 when idle
    private int _matched;    // bytes of that key matched so far
    private int _candidates; // bit set of keys still possible while matching
    private long _number;    // digits read after a full key; -1 when not reading digits
    private bool _inNumber;
    private int _prompt;
    private int _completion;

    public readonly UsageCounts Counts => new(_prompt, _completion);

    public void Feed(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (_inNumber)
            {
                var b = data[i];
                if (b is (byte)' ' && _number < 0) { i++; continue; }
                if (b is >= (byte)'0' and <= (byte)'9')
                {
                    _number = Math.Max(_number, 0) * 10 + (b - '0');
                    if (_number > int.MaxValue) _number = int.MaxValue;
                    i++;
                    continue;
                }
                Complete();
                continue;
            }
            if (_matched == 0)
            {
                var quote = data[i..].IndexOf((byte)'"');
                if (quote < 0) return;
                i += quote + 1;
                _matched = 1;
                _candidates = (1 << Keys.Length) - 1;
                continue;
            }
            Match(data[i]);
            i++;
        }
    }

    private void Match(byte b)
    {
        // Nearly every quote in a response opens or closes something else: reject those on the
        // first byte instead of trying each key (every key starts with p, c, i or o).
        if (_matched == 1 && b is not ((byte)'p' or (byte)'c' or (byte)'i' or (byte)'o'))
        {
            // The quote that failed to start a key may itself start one (candidates stay all set).
            _matched = b == (byte)'"' ? 1 : 0;
            return;
        }
        var remaining = 0;
        for (var k = 0; k < Keys.Length; k++)
        {
            if ((_candidates & (1 << k)) == 0) continue;
            var key = Keys[k];
            if (_matched < key.Length && key[_matched] == b) remaining |= 1 << k;
        }
        _candidates = remaining;
        if (remaining == 0)
        {
            // The quote that failed to start a key may itself start one.
            _matched = b == (byte)'"' ? 1 : 0;
            _candidates = _matched == 1 ? (1 << Keys.Length) - 1 : 0;
            return;
        }
        _matched++;
        for (var k = 0; k < Keys.Length; k++)
        {
            if ((remaining & (1 << k)) != 0 && Keys[k].Length == _matched)
            {
                _key = k;
                _inNumber = true;
                _number = -1;
                _matched = 0;
                return;
            }
        }
    }

    private void Complete()
    {
        if (_number >= 0)
        {
            if (_key is 0 or 2) _prompt = (int)_number;
            else _completion = (int)_number;
        }
        _inNumber = false;
        _number = -1;
    }
}
