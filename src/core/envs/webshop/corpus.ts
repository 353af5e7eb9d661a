/** The WebShop agent's word-level tokenizer (its vocabulary: the agent view and action language). */
import { Tokenizer } from '../../text/tokenizer';
import { WebShopAgentEnv, webShopAgentCorpus } from './agent-env';

export function webShopTokenizer(env: WebShopAgentEnv = new WebShopAgentEnv({ split: 'all' })): Tokenizer {
  return Tokenizer.fromCorpus(webShopAgentCorpus(env));
}
