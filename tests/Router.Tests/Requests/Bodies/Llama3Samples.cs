namespace Router.Tests.Requests.Bodies;

/// <summary>
/// Texts with their token counts from the real Llama 3 tokenizer (llama3-tokenizer-js 1.2.0,
/// no begin-of-text token), the yardstick for TokenEstimator. Regenerate the counts with that
/// tokenizer if a text changes.
/// </summary>
internal static class Llama3Samples
{
    public static readonly (string Name, string Text, int Tokens)[] EnglishChat =
    [
        ("chat 1", """
            Hi! I'm trying to get my Python script to read a CSV file and group the rows by customer, but it keeps telling me that the key doesn't exist. Here's what I have so far. Can you take a look and tell me what I'm doing wrong? I've been stuck on this for two hours and I'm starting to lose my mind.
            """, 74),
        ("chat 2", """
            Sure, happy to help. The error usually means that the column name in your file doesn't exactly match the string you're using in the code. A common cause is a hidden space or a byte order mark at the start of the first header. Try printing the list of column names right after you load the file, and you'll probably see something like "\ufeffcustomer" instead of "customer". If that's the case, open the file with encoding set to utf-8-sig and the problem should go away.
            """, 106),
        ("chat 3", """
            Thanks, that was exactly it. Another question: what's the best way to make this run faster? The file has about three million rows and it takes almost a minute on my laptop. I don't really need all the columns, only the customer, the date and the amount.
            """, 57),
        ("chat 4", """
            There are a few things you can do. First, tell the reader to load only the three columns you need; that alone cuts memory use and parsing time a lot. Second, give it the types up front so it doesn't have to guess them, and parse the date column explicitly. Third, if you run the same analysis every day, convert the file once to a columnar format such as Parquet, which loads in a fraction of the time. With those changes a minute should drop to a few seconds.
            """, 104),
        ("chat 5", """
            Can you write me a short summary of our conversation that I can paste into my team's chat? Keep it friendly and not too technical, because my manager will read it too.
            """, 36),
        ("chat 6", """
            Of course. Here's a short summary: we found that the script failed because the first column header had an invisible character at the start, and fixed it by opening the file with a different encoding. We also made the analysis much faster by loading only the columns we need, declaring their types, and planning to store the data in a faster format for daily runs.
            """, 73),
        ("chat 7", """
            What is the capital of Australia, and why isn't it Sydney? I always thought it was Sydney because that's the city everyone talks about.
            """, 29),
        ("chat 8", """
            The capital is Canberra. When the colonies federated in 1901, Sydney and Melbourne were rivals and neither would accept the other as the capital, so the new constitution said the capital had to be in New South Wales but at least a hundred miles from Sydney. Canberra was chosen as a compromise site and was purpose-built as the seat of government; Parliament moved there in 1927.
            """, 78),
    ];

    public static readonly (string Name, string Text, int Tokens)[] TechnicalEnglish =
    [
        ("architecture 1", """
            A single-host daemon that sits between chat and automation clients and the GPUs of one box.
            It speaks the OpenAI HTTP API to clients, and the Docker Engine API to the host: for every
            request it picks a model *instance* (a vLLM container pinned to one GPU, or to both GPUs with
            tensor parallelism), starts that container on demand, queues the request until a slot is
            free, proxies the response (streamed or not) and stops idle containers after their TTL.
            During the night window it swaps the day's 8B models out and a 72B model in, across both GPUs.
            """, 128),
        ("architecture 2", """
            ## Target box
            Two RTX 3090 (24 GB each). GPU 0 is the long-context GPU (interactive, 16K-32K context,
            2-3 concurrent), GPU 1 the throughput GPU (batch, 8K context, 4-6 concurrent, plus the
            embedding and reranker models). Clients: Open WebUI (interactive, its own API key),
            n8n workflows (batch, their own key). Reached only over Tailscale. Run by systemd.
            """, 103),
        ("architecture 3", """
            ## Instance lifecycle
            States: `Stopped -> Starting -> Loading -> Ready -> Draining -> Stopping -> Stopped`, plus
            `Failed` (crashed or never became healthy; restarted on demand with backoff).
            - Start: one start per instance however many requests wait for it. Create the container
              from the instance's spec, start it, poll vLLM's `/health` until 200 or the cold-start
              timeout. vLLM does not listen on its port until the model is loaded (minutes for a 72B
              model): a refused or reset connection means "not yet", and a container that exits means
              "failed", with its last log lines in the error.
            - While a streaming chat request waits for a cold start, the client should see that it is
              loading (as llama-swap's `sendLoadingState` does), not a silent socket that its own timeout
              will cut.
            - VRAM: the instances on one GPU may reserve at most 1.0 of it in total
              (`gpuMemoryUtilization`); where NVML reads free memory, that must hold too. To make room,
              stop idle instances on that GPU, least recently used first; never stop one with requests in
              flight: the new start waits for a slot instead.
            - TTL: an instance idle (nothing in flight) longer than its TTL is stopped.
            - Router restart: containers carrying the router's labels are adopted, not restarted.
            - Crash: the Docker events stream reports `die`/`oom`; in-flight requests end with a clear
              503, and the next request restarts the container; after an OOM the instance's concurrency
              is lowered.
            """, 355),
        ("csharp", """

                {
                    for (var p = 0; p < PriorityCount; p++)
                    {
                        if (_heads[p] is { } head)
                        {
                            Remove(head);
                            return head;
                        }
                    }

                    return null;
                }

                
            """, 53),
    ];

    public static readonly (string Name, string Text, int Tokens)[] OtherScripts =
    [
        ("Chinese", "大型语言模型是一种基于深度学习的人工智能模型，它通过在海量文本数据上进行训练，学习语言的统计规律和语义结构，从而能够生成连贯的文本、回答问题、翻译语言以及完成各种自然语言处理任务。", 62),
        ("Japanese", "大規模言語モデルは、大量のテキストデータで訓練された人工知能の一種であり、文章の生成や質問への回答、翻訳などのさまざまなタスクを実行することができます。", 51),
        ("Korean", "대규모 언어 모델은 방대한 양의 텍스트 데이터로 학습된 인공지능의 한 종류로, 글을 생성하고 질문에 답하며 번역을 하는 등 다양한 작업을 수행할 수 있습니다.", 48),
        ("Russian", "Большие языковые модели обучаются на огромных объёмах текста и умеют отвечать на вопросы, переводить тексты и писать программный код.", 38),
        ("Hebrew", "מודלי שפה גדולים מאומנים על כמויות עצומות של טקסט ויכולים לענות על שאלות, לתרגם טקסטים ולכתוב קוד.", 103),
        ("Greek", "Τα μεγάλα γλωσσικά μοντέλα εκπαιδεύονται σε τεράστιες ποσότητες κειμένου και μπορούν να απαντούν σε ερωτήσεις.", 41),
        ("French", "Les grands modèles de langage sont entraînés sur d’énormes quantités de texte et peuvent répondre à des questions, traduire des textes et écrire du code.", 41),
        ("Emoji", "Great job 🎉🎉 see you tomorrow 👋 — thanks! 😀 🚀", 20),
    ];
}
