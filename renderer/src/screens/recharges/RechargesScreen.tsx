// 充值申请: the list of recharge requests; a request's page opens at #/recharges/r/<id>.
import { useHashPath } from '../../hooks/useHashPath';
import { RequestList } from './RequestList';
import { RequestPage } from './RequestPage';

export default function RechargesScreen() {
  const [path, go] = useHashPath();
  if (path[0] === 'r' && path[1] && /^\d+$/.test(path[1])) {
    return <RequestPage key={path[1]} id={Number(path[1])} onBack={() => (history.length > 1 ? history.back() : go())} />;
  }
  return <RequestList onOpen={(id) => go('r', id)} />;
}
