import Link from "next/link";
import { EmptyState } from "@/components/common/empty-state";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function NotFound() {
  return (
    <Card>
      <EmptyState
        variant="no-matches"
        title="Not found"
        description="It does not exist, or it belongs to another account."
        action={
          <Link href="/overview" className={buttonClasses("secondary", "sm")}>
            Back to the overview
          </Link>
        }
      />
    </Card>
  );
}
