// A screen's heading: its title and, under it, what the screen is for.
import { Typography } from 'antd';

export function ScreenHeading({ title, intro }: { title: string; intro: string }) {
  return (
    <>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      <Typography.Text type="secondary">{intro}</Typography.Text>
    </>
  );
}
