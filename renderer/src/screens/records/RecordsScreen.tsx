// 充值记录: the list of recharge records; a record's page opens at #/records/r/<id>, and
// #/records/q/<text> opens the list searched for a receipt or request number.
import { useHashPath } from '../../hooks/useHashPath';
import { RecordList } from './RecordList';
import { RecordPage } from './RecordPage';

export default function RecordsScreen() {
  const [path, go] = useHashPath();
  if (path[0] === 'r' && path[1] && /^\d+$/.test(path[1])) {
    return <RecordPage key={path[1]} id={Number(path[1])} onBack={() => (history.length > 1 ? history.back() : go())} />;
  }
  const text = path[0] === 'q' && path[1] ? decodeURIComponent(path[1]) : undefined;
  return <RecordList key={text ?? ''} initialText={text} onOpen={(id) => go('r', id)} />;
}
