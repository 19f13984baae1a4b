/**
 * OpenAI-compatible providers the studio knows out of the box. Prices are list prices in US
 * dollars per million tokens at the time of writing; the producer can edit them (they only feed
 * the cost estimate and the budget cap), and every field can be overridden per draft.
 */

/** One provider preset. */
export type ProviderPreset = {
  /** Stable id, also the key under which the API key is stored. */
  id: string;
  /** Name shown in the provider picker. */
  label: string;
  /** OpenAI-compatible base URL (the part before `/chat/completions`). "" for custom. */
  baseURL: string;
  /** Model used unless the producer picks another. */
  defaultModel: string;
  /** US dollars per 1M input (prompt) tokens. */
  inputPricePerM: number;
  /** US dollars per 1M output (completion) tokens. */
  outputPricePerM: number;
  /** Whether `response_format: json_schema` is accepted (else `json_object` is used). */
  supportsJsonSchema: boolean;
  /** Whether requests need an API key (local servers do not). */
  needsApiKey: boolean;
  /** Runs on this computer (no data leaves it, no cost). */
  local: boolean;
};

/** The presets, in picker order. */
export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    defaultModel: 'gpt-4.1-mini',
    inputPricePerM: 0.4,
    outputPricePerM: 1.6,
    supportsJsonSchema: true,
    needsApiKey: true,
    local: false,
  },
  {
    id: 'deepseek',
    label: 'DeepSeek',
    baseURL: 'https://api.deepseek.com/v1',
    defaultModel: 'deepseek-chat',
    inputPricePerM: 0.28,
    outputPricePerM: 0.42,
    supportsJsonSchema: false,
    needsApiKey: true,
    local: false,
  },
  {
    id: 'qwen',
    label: 'Qwen (Alibaba DashScope, compatible mode)',
    baseURL: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
    defaultModel: 'qwen-plus',
    inputPricePerM: 0.4,
    outputPricePerM: 1.2,
    supportsJsonSchema: false,
    needsApiKey: true,
    local: false,
  },
  {
    id: 'moonshot',
    label: 'Moonshot Kimi',
    baseURL: 'https://api.moonshot.ai/v1',
    defaultModel: 'kimi-k2-0905-preview',
    inputPricePerM: 0.6,
    outputPricePerM: 2.5,
    supportsJsonSchema: false,
    needsApiKey: true,
    local: false,
  },
  {
    id: 'zai',
    label: 'Z.ai GLM',
    baseURL: 'https://api.z.ai/api/paas/v4',
    defaultModel: 'glm-4.6',
    inputPricePerM: 0.6,
    outputPricePerM: 2.2,
    supportsJsonSchema: false,
    needsApiKey: true,
    local: false,
  },
  {
    id: 'minimax',
    label: 'MiniMax',
    baseURL: 'https://api.minimax.io/v1',
    defaultModel: 'MiniMax-M2',
    inputPricePerM: 0.3,
    outputPricePerM: 1.2,
    supportsJsonSchema: false,
    needsApiKey: true,
    local: false,
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    defaultModel: 'deepseek/deepseek-chat-v3.1',
    inputPricePerM: 0.2,
    outputPricePerM: 0.8,
    supportsJsonSchema: false,
    needsApiKey: true,
    local: false,
  },
  {
    id: 'ollama',
    label: 'Ollama (local)',
    baseURL: 'http://127.0.0.1:11434/v1',
    defaultModel: 'qwen2.5:7b',
    inputPricePerM: 0,
    outputPricePerM: 0,
    supportsJsonSchema: true,
    needsApiKey: false,
    local: true,
  },
  {
    id: 'lmstudio',
    label: 'LM Studio (local)',
    baseURL: 'http://127.0.0.1:1234/v1',
    defaultModel: 'qwen2.5-7b-instruct',
    inputPricePerM: 0,
    outputPricePerM: 0,
    supportsJsonSchema: true,
    needsApiKey: false,
    local: true,
  },
  {
    id: 'custom',
    label: 'Custom OpenAI-compatible',
    baseURL: '',
    defaultModel: '',
    inputPricePerM: 0,
    outputPricePerM: 0,
    supportsJsonSchema: false,
    needsApiKey: false,
    local: false,
  },
];

/** The preset with `id`, or undefined. */
export function findPreset(id: string): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find((p) => p.id === id);
}
