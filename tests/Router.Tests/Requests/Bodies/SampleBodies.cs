using System.Text;

namespace Router.Tests.Requests.Bodies;

/// <summary>
/// Request bodies shaped like the ones our clients send. Inline raw strings rather than files,
/// because copying files to the test output would mean editing the test project.
/// </summary>
internal static class SampleBodies
{
    /// <summary>Open WebUI chat: system prompt, earlier turns, streamed with usage (Python escapes non-ASCII).</summary>
    public const string OwuiMultiTurn = """
        {"stream": true, "model": "llama", "messages": [
          {"role": "system", "content": "You are a helpful assistant. Answer concisely and cite sources when you can."},
          {"role": "user", "content": "What's the difference between a process and a thread?"},
          {"role": "assistant", "content": "A process has its own address space; threads share the address space of their process.\nThreads are cheaper to create and switch, but a crash in one thread takes down the whole process."},
          {"role": "user", "content": "And in Python, with the GIL? Explain it like I'm five \ud83d\ude42"}
        ], "stream_options": {"include_usage": true}, "temperature": 0.7, "top_p": 0.9,
        "metadata": {"chat_id": "6a1c", "message_id": "b9e2", "session_id": "x1", "features": {"web_search": false}}}
        """;

    /// <summary>Open WebUI's title generation: one user message holding the task template, not streamed.</summary>
    public const string OwuiTitleTask = """
        {"model": "llama", "messages": [{"role": "user", "content": "### Task:\nGenerate a concise, 3-5 word title with an emoji summarizing the chat history.\n### Guidelines:\n- The title should clearly represent the main theme or subject of the conversation.\n- Use emojis that enhance understanding of the topic, but avoid quotation marks or special formatting.\n- Write the title in the chat's primary language; default to English if multilingual.\n### Output:\nJSON format: { \"title\": \"your concise title here\" }\n### Chat History:\n<chat_history>\nUSER: What's the difference between a process and a thread?\nASSISTANT: A process has its own address space; threads share it.\n</chat_history>"}], "stream": false, "max_tokens": 1000}
        """;

    /// <summary>An n8n AI agent on the Responses API: instructions, typed input items, a tool, a budget.</summary>
    public const string N8nResponses = """
        {"model": "llama", "instructions": "You are an assistant that triages support tickets for the operations team.",
         "input": [
           {"role": "user", "content": [{"type": "input_text", "text": "Ticket #4411: the nightly export to the data warehouse failed with a timeout again."}]},
           {"type": "function_call", "call_id": "call_1", "name": "lookup_ticket", "arguments": "{\"id\": 4411}"},
           {"type": "function_call_output", "call_id": "call_1", "output": "{\"status\": \"open\", \"owner\": \"data-platform\", \"failures\": 3}"}
         ],
         "tools": [{"type": "function", "name": "lookup_ticket", "description": "Look up a support ticket by id.",
                    "parameters": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}}],
         "max_output_tokens": 800, "store": false, "stream": false}
        """;

    public const string CompletionsPromptArray = """
        {"model": "llama", "prompt": ["Once upon a time", "The quick brown fox jumps over the lazy dog and keeps running", "Hi"], "max_tokens": 64, "suffix": " The end."}
        """;

    public const string EmbeddingsList = """
        {"model": "bge-m3", "input": ["first passage about GPUs", "second, much longer passage about how vLLM schedules sequences on the GPU", "third"], "encoding_format": "float"}
        """;

    public const string Rerank = """
        {"model": "bge-reranker", "query": "How do I stop an idle container?", "top_n": 2,
         "documents": ["The TTL sweeper stops idle instances.", {"text": "Containers are started on demand by the lifecycle owner, one start per instance."}, "Unrelated."]}
        """;

    /// <summary>A user message with text and two images, one of them an inline base64 PNG.</summary>
    public static string ChatWithImages(int base64Bytes)
    {
        var base64 = Convert.ToBase64String(new byte[base64Bytes * 3 / 4]);
        return $$$"""
            {"model": "llava", "messages": [{"role": "user", "content": [
              {"type": "text", "text": "What is in these two pictures?"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,{{{base64}}}", "detail": "high"}},
              {"image_url": {"url": "https://example.invalid/cat.jpg"}, "type": "image_url"}
            ]}]}
            """;
    }

    /// <summary>A multi-turn chat of roughly <paramref name="targetBytes"/>, English prose throughout.</summary>
    public static string LargeChat(int targetBytes)
    {
        var content = string.Concat(Enumerable.Repeat(
            "The router keeps every instance within its concurrency limit and queues the rest by priority. ", 20));
        var builder = new StringBuilder("""{"model": "llama", "stream": true, "messages": [""");
        var turn = 0;
        while (builder.Length < targetBytes)
        {
            builder.Append(turn == 0 ? "" : ",")
                .Append("{\"role\": ").Append(turn % 2 == 0 ? "\"user\"" : "\"assistant\"").Append(", \"content\": \"")
                .Append(content).Append("\\n\"}");
            turn++;
        }

        return builder.Append("]}").ToString();
    }
}
